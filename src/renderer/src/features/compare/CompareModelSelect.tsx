import type { SelectableModel } from '../../../../shared/domain';
import { isUsable } from '../../stores/models-store';
import { useModels } from '../../stores/context';
import { describeModel, groupLabel, optionLabel } from '../chat/model-labels';

/**
 * One column's model: the same names the chat's picker offers (the router's groups and aliases,
 * then each provider's models, local first, and refs typed in the chat's "Custom model…").
 */
export function CompareModelSelect({ column, value, onChange }: { column: number; value: string | null; onChange: (model: string) => void }) {
  const groups = useModels((s) => s.groups);
  const routes = useModels((s) => s.routes);
  const customRefs = useModels((s) => s.customRefs);
  return (
    <select
      className="compare__model"
      data-testid="compare-model"
      data-column={column}
      aria-label={`Model for column ${column + 1}`}
      value={value ?? ''}
      onChange={(event) => onChange(event.target.value)}
    >
      <option value="" disabled>
        Choose a model…
      </option>
      {routes.length > 0 && (
        <optgroup label="Groups">
          {routes.map((route) => (
            <option key={route.name} value={route.name}>
              {route.kind === 'alias' ? `${route.name} → ${route.targets[0] ?? ''}` : route.name}
            </option>
          ))}
        </optgroup>
      )}
      {groups.map((group) => (
        <optgroup key={group.provider} label={groupLabel(group)}>
          {group.models.map((model: SelectableModel) => (
            <option key={model.ref} value={model.ref} disabled={!isUsable(model)} title={model.error ?? describeModel(model)}>
              {optionLabel(model)}
            </option>
          ))}
          {customRefs
            .filter((ref) => ref.startsWith(`${group.provider}/`))
            .map((ref) => (
              <option key={ref} value={ref}>
                {ref.slice(group.provider.length + 1)} (custom)
              </option>
            ))}
        </optgroup>
      ))}
    </select>
  );
}
