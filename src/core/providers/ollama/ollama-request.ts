import { Ollama } from 'ollama';
import { ProviderError } from '../../../shared/llm';
import type { OllamaConnection } from './ollama-chat-model';
import { mapOllamaError } from './ollama-error';
import { createOllamaCallFetch } from './ollama-fetch';

/**
 * Runs one non-chat request through a fresh `ollama` client that carries the call's signal and
 * idle timeout, and turns whatever it throws into a ProviderError.
 */
export async function ollamaRequest<T>(
  connection: OllamaConnection,
  run: (client: Ollama) => Promise<T>,
  options: { signal?: AbortSignal; headers?: Record<string, string> } = {},
): Promise<T> {
  const { signal } = options;
  if (signal?.aborted) throw new ProviderError({ kind: 'aborted', message: 'The request to Ollama was aborted.', provider: 'ollama' });
  const call = createOllamaCallFetch({ signal, timeoutMs: connection.timeoutMs, baseFetch: connection.fetch });
  const client = new Ollama({ host: connection.baseURL, headers: { ...connection.headers, ...options.headers }, fetch: call.fetch });
  try {
    return await run(client);
  } catch (error) {
    throw mapOllamaError(error, {
      baseURL: connection.baseURL,
      secrets: connection.secrets,
      aborted: signal?.aborted,
      timedOut: call.state.timedOut,
      retryAfterMs: call.state.retryAfterMs,
    });
  } finally {
    call.dispose();
  }
}
