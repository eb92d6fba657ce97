import { type LanguageModel, ProviderError } from '../../../shared/llm';

/** A one-token completion: the cheapest call that proves a model answers. */
export async function probeByCompletion(model: LanguageModel, signal: AbortSignal): Promise<string> {
  const { stream } = await model.stream({
    messages: [{ role: 'user', content: [{ type: 'text', text: 'ping' }] }],
    maxOutputTokens: 1,
    abortSignal: signal,
  });
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return `${model.modelId} answered`;
      if (value.type === 'error') throw ProviderError.fromData(value.error);
    }
  } finally {
    reader.releaseLock();
  }
}
