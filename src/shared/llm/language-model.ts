import type { CallOptions } from './call-options';
import type { PartSource } from './part-iterator';

export interface ModelCapabilities {
  vision: boolean;
  tools: boolean;
  reasoning: boolean;
  json: boolean;
  /** Context window in tokens, when known. */
  contextWindow?: number;
}

/**
 * A model, whatever serves it. `stream` rejects only before the stream exists
 * (bad options, no credentials); once it has started, failures arrive as an
 * `error` part followed by exactly one `finish`.
 */
export interface LanguageModel {
  readonly provider: string;
  readonly modelId: string;
  readonly capabilities: ModelCapabilities;
  /** The parts as a stream; adapters on a hot path also give them as `parts` (see `PartSource`). */
  stream(options: CallOptions): Promise<PartSource>;
}
