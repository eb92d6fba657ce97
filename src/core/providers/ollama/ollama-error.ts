import { z } from 'zod';
import { ProviderError, type ProviderErrorKind } from '../../../shared/llm';

const PROVIDER = 'ollama';

/** A 200 answer that is not JSON: usually a base URL that points at something other than Ollama. */
export class OllamaContentTypeError extends Error {
  override readonly name = 'OllamaContentTypeError';
  constructor(readonly contentType: string) {
    super(`answered with content type ${contentType}, not JSON`);
  }
}

/** A line of an NDJSON stream that is not JSON. Ollama's client would skip it; we stop the stream. */
export class OllamaMalformedLineError extends Error {
  override readonly name = 'OllamaMalformedLineError';
  constructor() {
    super('sent a stream line that is not JSON');
  }
}

/** What the call knows beyond the error itself. */
export interface OllamaErrorContext {
  baseURL: string;
  /** The call's own timer fired. */
  timedOut?: boolean;
  /** The caller's signal aborted. */
  aborted?: boolean;
  /** From the Retry-After header of the failed response, when it had one. */
  retryAfterMs?: number;
  /** Values that must never appear in a message (an API key given as a header). */
  secrets?: string[];
}

const responseErrorSchema = z.object({ name: z.literal('ResponseError'), status_code: z.number().int(), error: z.string().optional() });

/** Anything the `ollama` client or fetch threw → a ProviderError with the right kind. */
export function mapOllamaError(error: unknown, context: OllamaErrorContext): ProviderError {
  if (error instanceof ProviderError) return error;
  const make = (kind: ProviderErrorKind, message: string, extra: { status?: number; retryAfterMs?: number } = {}) =>
    new ProviderError({ kind, message: redact(message, context.secrets), provider: PROVIDER, cause: error, ...extra });
  const where = `Ollama at ${context.baseURL}`;

  if (context.aborted) return make('aborted', 'The request to Ollama was aborted.');
  if (context.timedOut) return make('timeout', `${where} did not answer in time.`);
  if (isAbortError(error)) return make('aborted', 'The request to Ollama was aborted.');

  if (error instanceof OllamaContentTypeError) {
    return make('server', `${where} ${error.message}; check that the base URL points at Ollama.`);
  }
  if (error instanceof OllamaMalformedLineError) return make('server', `${where} ${error.message}.`);

  const response = responseErrorSchema.safeParse(error);
  if (response.success) {
    const status = response.data.status_code;
    const detail = error instanceof Error ? error.message : (response.data.error ?? '');
    const message = `Ollama answered ${status}: ${detail}`;
    const extra = context.retryAfterMs === undefined ? { status } : { status, retryAfterMs: context.retryAfterMs };
    return make(kindForStatus(status, detail), message, extra);
  }

  const codes = causeCodes(error);
  if (codes.has('ECONNREFUSED')) {
    return make('connection', `Ollama isn't running at ${context.baseURL} (connection refused). Start it with \`ollama serve\`, or check the base URL.`);
  }
  if (codes.has('ENOTFOUND') || codes.has('EAI_AGAIN')) return make('connection', `Cannot resolve the host of ${where}; check the base URL.`);
  if (['ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT'].some((c) => codes.has(c))) {
    return make('timeout', `${where} did not answer in time.`);
  }
  if (error instanceof TypeError || ['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED'].some((c) => codes.has(c))) {
    // undici: `fetch failed` before an answer, `terminated` when the body was cut.
    const midway = error instanceof TypeError && error.message === 'terminated';
    return make('connection', midway ? `The connection to ${where} closed in the middle of the answer.` : `The connection to ${where} failed before it answered.`);
  }

  if (error instanceof Error) {
    // The client's own words for a stream that ended without its final chunk.
    if (/did not receive done or success/i.test(error.message)) {
      return make('connection', `${where} ended the stream before its final chunk.`);
    }
    // An `{"error": "..."}` line inside a 200 stream (a failed pull, a model that crashed mid-answer).
    return make(kindForMessage(error.message), `Ollama: ${error.message}`);
  }
  return make('server', `Ollama failed: ${String(error)}`);
}

export function kindForStatus(status: number, message: string): ProviderErrorKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 404) return 'not_found';
  if (status === 408) return 'timeout';
  if (status === 413) return 'context_length';
  if (status === 429) return 'rate_limit';
  if (status >= 500) return 'server';
  if (status === 400 && /context|too long|exceeds/i.test(message)) return 'context_length';
  return 'bad_request';
}

function kindForMessage(message: string): ProviderErrorKind {
  if (/not found|does not exist/i.test(message)) return 'not_found';
  if (/context (length|window)|too long|exceeds/i.test(message)) return 'context_length';
  return 'server';
}

/** Retry-After (seconds or an HTTP date) → milliseconds. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds >= 0 ? Math.round(seconds * 1000) : undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function isAbortError(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}

function causeCodes(error: unknown): Set<string> {
  const codes = new Set<string>();
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth += 1) {
    const code: unknown = (current as { code?: unknown }).code;
    if (typeof code === 'string') codes.add(code);
    const nested: unknown = (current as { errors?: unknown }).errors;
    if (Array.isArray(nested)) for (const inner of nested as unknown[]) for (const c of causeCodes(inner)) codes.add(c);
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
}

function redact(message: string, secrets: string[] | undefined): string {
  let out = message;
  for (const secret of secrets ?? []) if (secret.length >= 4) out = out.split(secret).join('[redacted]');
  return out;
}
