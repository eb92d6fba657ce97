import type { FinishReason } from '../../../shared/llm';

/**
 * Ollama's `done_reason` in the spec's terms. Ollama says `stop` also when the model called tools,
 * so whether tools were called decides between `stop` and `tool-calls`. The raw word is kept.
 */
export function mapOllamaDoneReason(doneReason: string | undefined, sawToolCalls: boolean): FinishReason {
  const raw = doneReason === undefined || doneReason === '' ? undefined : doneReason;
  const withRaw = (unified: FinishReason['unified']): FinishReason => (raw === undefined ? { unified } : { unified, raw });
  if (sawToolCalls && (raw === undefined || raw === 'stop')) return withRaw('tool-calls');
  switch (raw) {
    case 'stop':
      return withRaw('stop');
    case 'length':
      return withRaw('length');
    // Ollama itself never filters; an OpenAI-style server or proxy speaking Ollama's API may.
    case 'content_filter':
      return withRaw('content-filter');
    case undefined:
      // An answer that ends without saying why ended normally.
      return withRaw('stop');
    default:
      // `load`, `unload`, `connection_closed` and anything newer.
      return withRaw('other');
  }
}
