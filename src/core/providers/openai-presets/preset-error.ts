import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { ProviderError, type ProviderErrorKind } from '../../../shared/llm';

/**
 * For the few calls a preset makes itself (OpenRouter's credits): an SDK error → a ProviderError
 * by status. Chat calls go through the OpenAI adapter's own, fuller mapping. The key is scrubbed.
 */
export function presetError(error: unknown, provider: string, what: string, apiKey: string | undefined): ProviderError {
  if (error instanceof ProviderError) return error;
  const scrub = (text: string) => (apiKey ? text.split(apiKey).join('[key]') : text);
  if (error instanceof APIUserAbortError) return new ProviderError({ kind: 'aborted', provider, message: `${what}: aborted.`, cause: error });
  if (error instanceof APIConnectionTimeoutError) return new ProviderError({ kind: 'timeout', provider, message: `${what}: no answer in time.`, cause: error });
  if (error instanceof APIConnectionError) return new ProviderError({ kind: 'connection', provider, message: `${what}: could not connect.`, cause: error });
  if (error instanceof APIError && error.status !== undefined) {
    const kind = kindOfStatus(error.status);
    const body = error.error as { message?: unknown } | undefined;
    const detail = typeof body?.message === 'string' ? `: ${scrub(body.message).slice(0, 300)}` : '';
    return new ProviderError({ kind, status: error.status, provider, message: `${what}: HTTP ${error.status}${detail}`, cause: error });
  }
  const message = error instanceof Error ? scrub(error.message) : String(error);
  return new ProviderError({ kind: 'server', provider, message: `${what}: ${message.slice(0, 300)}`, cause: error });
}

function kindOfStatus(status: number): ProviderErrorKind {
  if (status === 401 || status === 402 || status === 403) return 'auth';
  if (status === 404) return 'not_found';
  if (status === 408) return 'timeout';
  if (status === 413) return 'context_length';
  if (status === 429) return 'rate_limit';
  if (status >= 500) return 'server';
  return 'bad_request';
}
