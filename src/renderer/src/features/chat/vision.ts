import type { SelectableModel } from '../../../../shared/domain';

export type VisionAdvice =
  | { kind: 'ok' }
  /** The model cannot see images: sending is held until the user switches or removes them. */
  | { kind: 'no-vision'; model: string; suggestion: SelectableModel | null }
  /** Nobody says whether it can: sending is allowed, with a word of warning. */
  | { kind: 'unknown'; model: string; suggestion: SelectableModel | null };

/**
 * What to tell the user about images and the chosen model, before sending. Capabilities come from
 * the catalog or the provider's list (`models.list`); a custom ref nobody listed is unknown. The
 * suggestion is a usable vision model, from the same provider when it has one.
 */
export function visionAdvice(selectedId: string | null, items: readonly SelectableModel[], imageCount: number): VisionAdvice {
  if (imageCount === 0 || selectedId === null) return { kind: 'ok' };
  const selected = items.find((m) => m.ref === selectedId);
  // The local engine has no image input (it leaves images out, with a warning): no, not "unknown".
  const vision = selected?.capabilities.vision ?? (selected?.providerType === 'local' ? false : null);
  if (vision === true) return { kind: 'ok' };
  const provider = selected?.provider ?? selectedId.split('/')[0];
  const candidates = items.filter((m) => m.error === null && m.capabilities.vision === true && m.ref !== selectedId);
  const suggestion = candidates.find((m) => m.provider === provider) ?? candidates[0] ?? null;
  const model = selected?.displayName ?? selectedId;
  return vision === false ? { kind: 'no-vision', model, suggestion } : { kind: 'unknown', model, suggestion };
}
