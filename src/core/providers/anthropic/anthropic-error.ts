import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
} from '@anthropic-ai/sdk';
import { ProviderError, type ProviderErrorKind } from '../../../shared/llm';

export interface AnthropicErrorContext {
  provider: string;
  /** The caller's signal: an error after it fired is an abort, whatever the SDK made of it. */
  abortSignal?: AbortSignal | undefined;
  /** Secrets to scrub from any message (the API key), in case a proxy echoes them back. */
  secrets?: ReadonlyArray<string | undefined>;
}

/** Anthropic's `error.type` → our kind, for errors that come without a useful status (a streamed `event: error`). */
const KIND_BY_TYPE: Record<string, ProviderErrorKind> = {
  invalid_request_error: 'bad_request',
  authentication_error: 'auth',
  permission_error: 'auth',
  billing_error: 'budget',
  not_found_error: 'not_found',
  request_too_large: 'bad_request',
  rate_limit_error: 'rate_limit',
  timeout_error: 'timeout',
  api_error: 'server',
  overloaded_error: 'server',
};

function kindForStatus(status: number): ProviderErrorKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 402) return 'budget';
  if (status === 404) return 'not_found';
  if (status === 408 || status === 504) return 'timeout';
  if (status === 413) return 'bad_request';
  if (status === 429) return 'rate_limit';
  if (status >= 500) return 'server';
  return 'bad_request';
}

/** Anthropic says "prompt is too long: 210000 tokens > 200000 maximum" for a prompt over the context window. */
const CONTEXT_LENGTH = /prompt is too long|context (window|length)|too many (input )?tokens|exceeds? the (model'?s )?(context|maximum)/i;

/** Retry-After in ms from `retry-after-ms`, or `retry-after` as seconds or an HTTP date. */
export function parseRetryAfter(headers: Headers | undefined, now = Date.now()): number | undefined {
  const ms = headers?.get('retry-after-ms');
  if (ms) {
    const value = Number.parseFloat(ms);
    if (Number.isFinite(value) && value >= 0) return value;
  }
  const header = headers?.get('retry-after');
  if (!header) return undefined;
  const seconds = Number.parseFloat(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function scrub(message: string, secrets: ReadonlyArray<string | undefined> | undefined): string {
  let out = message;
  for (const secret of secrets ?? []) {
    if (secret !== undefined && secret.length >= 4) out = out.split(secret).join('[redacted]');
  }
  // Belt and braces: anything shaped like an Anthropic key.
  return out.replace(/sk-ant-[\w-]+/g, 'sk-ant-[redacted]');
}

function apiMessage(error: APIError): string {
  if (typeof error.apiMessage === 'string' && error.apiMessage.length > 0) return error.apiMessage;
  return error.message;
}

/**
 * Anything the SDK (or the stream under it) throws → one ProviderError. Status codes decide the
 * kind; a 400 whose message says the prompt is too long is `context_length`; 529 and a streamed
 * `overloaded_error` are a retryable `server`. Messages never carry the key.
 */
export function mapAnthropicError(error: unknown, context: AnthropicErrorContext): ProviderError {
  if (error instanceof ProviderError) return error;
  const { provider, secrets } = context;
  const make = (kind: ProviderErrorKind, message: string, extra: { status?: number; retryAfterMs?: number; retryable?: boolean } = {}) =>
    new ProviderError({ kind, message: scrub(message, secrets), provider, cause: error, ...extra });

  if (context.abortSignal?.aborted === true || error instanceof APIUserAbortError || isAbortError(error)) {
    return make('aborted', 'The request was aborted.');
  }
  if (error instanceof APIConnectionTimeoutError) return make('timeout', 'Anthropic did not answer in time.');
  if (error instanceof APIConnectionError) {
    return make('connection', `Could not reach Anthropic: ${causeMessage(error)}`);
  }
  if (error instanceof APIError) {
    const message = apiMessage(error);
    const status = typeof error.status === 'number' ? error.status : undefined;
    if (status === undefined) {
      // A streamed `event: error`: only the error type tells what happened.
      const type = typeof error.type === 'string' ? error.type : undefined;
      const kind = (type !== undefined ? KIND_BY_TYPE[type] : undefined) ?? 'server';
      return make(kind, `Anthropic stream error${type ? ` (${type})` : ''}: ${message}`);
    }
    let kind = kindForStatus(status);
    if (kind === 'bad_request' && status === 400 && CONTEXT_LENGTH.test(message)) kind = 'context_length';
    const retryAfterMs = parseRetryAfter(error.headers);
    const extra: { status: number; retryAfterMs?: number } = { status };
    if (retryAfterMs !== undefined) extra.retryAfterMs = retryAfterMs;
    const type = typeof error.type === 'string' ? ` ${error.type}` : '';
    return make(kind, `Anthropic ${status}${type}: ${message}`, extra);
  }
  if (error instanceof SyntaxError) return make('server', `Anthropic sent an event that is not valid JSON: ${error.message}`);
  if (error instanceof Error) return make('connection', `Anthropic stream failed: ${causeMessage(error)}`);
  return make('server', `Anthropic failed: ${String(error)}`);
}

function causeMessage(error: Error): string {
  const cause = error.cause;
  if (cause instanceof Error && cause.message && cause.message !== error.message) return `${error.message} (${cause.message})`;
  return error.message;
}

function isAbortError(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || (error as { code?: unknown }).code === 'ABORT_ERR');
}
