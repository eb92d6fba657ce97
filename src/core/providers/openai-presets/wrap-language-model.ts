import type { CallOptions, LanguageModel, StreamPart } from '../../../shared/llm';

export interface LanguageModelWrapper {
  /** Adjusts the call options before the inner model sees them. */
  transformOptions?: (options: CallOptions) => CallOptions;
  /** Rewrites one stream part (a preset's usage quirks). */
  transformPart?: (part: StreamPart) => StreamPart;
}

/** A preset's quirks around an OpenAI chat model: same provider, id and capabilities. */
export function wrapLanguageModel(inner: LanguageModel, wrapper: LanguageModelWrapper): LanguageModel {
  const { transformOptions, transformPart } = wrapper;
  return {
    provider: inner.provider,
    modelId: inner.modelId,
    capabilities: inner.capabilities,
    async stream(options) {
      const result = await inner.stream(transformOptions ? transformOptions(options) : options);
      if (!transformPart) return result;
      return { stream: result.stream.pipeThrough(new TransformStream<StreamPart, StreamPart>({ transform: (part, c) => c.enqueue(transformPart(part)) })) };
    },
  };
}
