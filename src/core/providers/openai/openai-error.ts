import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { ProviderError, type ProviderErrorKind } from '../../../shared/llm';

export interface OpenAIErrorContext {
  /** Provider name reported on the error (`openai`, `azure`, `openrouter`, …). */
  provider: string;
  /** Scrubbed from every message, whatever the provider echoes. */
  apiKey?: string;
  /** For tests: the clock Retry-After HTTP-dates are measured against. */
  now?: number;
}

const MAX_MESSAGE = 300;

/**
 * Anything the OpenAI SDK (or fetch beneath it) throws → one ProviderError with a kind, a status,
 * `retryable` and `retryAfterMs`. Messages are built here: the provider's own short message (with
 * keys scrubbed), never our request body and never the SDK's dump of the response body.
 */
export function convertOpenAIError(error: unknown, context: OpenAIErrorContext): ProviderError {
  if (error instanceof ProviderError) return error;
  const { provider } = context;
  const label = providerLabel(provider);
  const make = (kind: ProviderErrorKind, message: string, extra: { status?: number; retryable?: boolean; retryAfterMs?: number } = {}) =>
    new ProviderError({ kind, message: scrub(message, context.apiKey), provider, cause: error, ...extra });

  if (error instanceof APIUserAbortError || isAbort(error)) return make('aborted', `${label} request aborted.`);
  if (error instanceof APIConnectionTimeoutError) return make('timeout', `${label} did not answer in time (client timeout).`);
  if (error instanceof APIConnectionError) return make('connection', `Could not connect to ${label}: ${causeMessage(error)}.`);
  if (error instanceof APIError) {
    const body = errorBodyOf(error.error);
    const detail = body.message ?? error.type ?? undefined;
    const code = body.code ?? error.code ?? undefined;
    const status = error.status;
    const retryAfterMs = status === undefined ? undefined : parseRetryAfter(error.headers, context.now);
    const kind = kindOf(status, code, detail);
    const retryable = kind === 'server' && status === 501 ? false : undefined;
    const what = status === undefined ? `${label} reported an error in the stream` : `${label} answered HTTP ${status}`;
    const message = `${what}${detail ? `: ${truncate(detail)}` : ''}${code ? ` (${code})` : ''}`;
    return make(kind, message, {
      ...(status === undefined ? {} : { status }),
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      ...(retryable === undefined ? {} : { retryable }),
    });
  }
  if (error instanceof SyntaxError) return make('server', `${label} sent a malformed stream event that is not JSON.`);
  if (error instanceof TypeError) {
    // undici: "fetch failed" before a response, "terminated" when the socket closes mid-body.
    return make('connection', `The connection to ${label} failed: ${causeMessage(error)}.`);
  }
  if (error instanceof Error) return make('server', `${label} call failed: ${truncate(error.message)}`);
  return make('server', `${label} call failed.`);
}

/** HTTP status (and the provider's code or message) → our kind. */
export function kindOf(status: number | undefined, code?: string, message?: string): ProviderErrorKind {
  const says = (pattern: RegExp) => (code !== undefined && pattern.test(code)) || (message !== undefined && pattern.test(message));
  if (says(/context_length_exceeded|context length|maximum context|too many tokens|reduce the length/i)) return 'context_length';
  if (says(/content_filter|content_policy_violation|content management policy/i)) return 'content_filter';
  if (says(/insufficient_quota|insufficient credits|billing/i)) return 'budget';
  if (status === undefined) return 'server';
  if (status === 401 || status === 403) return 'auth';
  if (status === 402) return 'budget';
  if (status === 404) return 'not_found';
  if (status === 408) return 'timeout';
  if (status === 409) return 'server';
  if (status === 429) return 'rate_limit';
  if (status >= 500) return 'server';
  return 'bad_request';
}

/**
 * `retry-after-ms` (milliseconds, OpenAI's own) wins over `retry-after` (seconds or an HTTP-date).
 * Returns undefined when neither is there or neither parses.
 */
export function parseRetryAfter(headers: Headers | Record<string, string | undefined> | undefined, now = Date.now()): number | undefined {
  if (headers === undefined) return undefined;
  const get = (name: string): string | undefined =>
    headers instanceof Headers ? (headers.get(name) ?? undefined) : (headers[name] ?? headers[name.toLowerCase()]);
  const ms = get('retry-after-ms');
  if (ms !== undefined && ms.trim() !== '') {
    const value = Number(ms);
    if (Number.isFinite(value) && value >= 0) return Math.round(value);
  }
  const after = get('retry-after')?.trim();
  if (after === undefined || after === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(after)) return Math.round(Number(after) * 1000);
  const date = Date.parse(after);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Removes the key itself and anything shaped like a secret key from a message. */
export function scrub(message: string, apiKey?: string): string {
  let out = message;
  if (apiKey !== undefined && apiKey.length >= 4) out = out.split(apiKey).join('[redacted]');
  return out.replace(/\b(sk|pk|rk)-[A-Za-z0-9_-]{8,}/g, (m) => `${m.slice(0, 3)}…[redacted]`);
}

export function providerLabel(provider: string): string {
  const known: Record<string, string> = { openai: 'OpenAI', azure: 'Azure OpenAI', openrouter: 'OpenRouter', deepseek: 'DeepSeek' };
  return known[provider] ?? provider;
}

function errorBodyOf(body: unknown): { message?: string; code?: string } {
  if (typeof body !== 'object' || body === null) return {};
  // The SDK hands us `error.error`: OpenAI's `{ message, type, code }` (sometimes still wrapped in `error`).
  const inner = 'error' in body && typeof body.error === 'object' && body.error !== null ? body.error : body;
  const message = 'message' in inner && typeof inner.message === 'string' ? inner.message : undefined;
  const rawCode = 'code' in inner ? inner.code : undefined;
  const code = typeof rawCode === 'string' ? rawCode : typeof rawCode === 'number' ? String(rawCode) : undefined;
  return { ...(message === undefined ? {} : { message }), ...(code === undefined ? {} : { code }) };
}

function causeMessage(error: Error): string {
  const cause = error.cause;
  if (cause instanceof Error) {
    const inner = cause.cause instanceof Error ? `${cause.message} (${cause.cause.message})` : cause.message;
    return truncate(inner);
  }
  return truncate(error.message);
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

function truncate(text: string): string {
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text;
}
