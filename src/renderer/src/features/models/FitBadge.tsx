import type { ModelFit } from '../../../../shared/contract';
import { describeFit, fitBadge } from './fit';

/** How a model would run here, as a coloured badge; the tooltip says what it would take. */
export function FitBadge({ fit, testId = 'fit-badge' }: { fit: ModelFit | null; testId?: string }) {
  if (fit === null) {
    return (
      <span className="model-badge model-badge--ok" data-testid={testId} data-fit="unknown" title="No estimate for this machine">
        fit unknown
      </span>
    );
  }
  const { label, tone } = fitBadge(fit);
  return (
    <span className={`model-badge fit-badge fit-badge--${tone}`} data-testid={testId} data-fit={fit.mode} title={describeFit(fit)}>
      {label}
    </span>
  );
}
