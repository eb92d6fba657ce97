/** The composer's optional "max tokens" field: blank means the model's default. */
export function parseMaxTokens(raw: string): { ok: true; value: number | undefined } | { ok: false; message: string } {
  const text = raw.trim();
  if (text === '') return { ok: true, value: undefined };
  if (!/^\d+$/.test(text)) return { ok: false, message: 'Max tokens must be a whole number.' };
  const value = Number(text);
  if (value < 1 || value > 1_000_000) return { ok: false, message: 'Max tokens must be between 1 and 1,000,000.' };
  return { ok: true, value };
}
