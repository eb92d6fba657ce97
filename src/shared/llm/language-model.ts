import type { CallOptions } from './call-options';
import type { StreamPart } from './stream-part';

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
  stream(options: CallOptions): Promise<{ stream: ReadableStream<StreamPart> }>;
}
