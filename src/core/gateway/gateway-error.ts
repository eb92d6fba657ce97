import { type CallWarning, ProviderError, type ProviderErrorKind } from '../../shared/llm';
import { ParameterError } from '../params';

/**
 * A failure the gateway answers with, in neutral terms; each API writes it in its own shape
 * (`openai/openai-errors.ts`, `anthropic/anthropic-errors.ts`), so each SDK raises its usual exception.
 */
export type GatewayErrorCode =
  | 'invalid_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'unknown_route'
  | 'body_too_large'
  | 'busy'
  | 'rate_limited'
  | 'budget_exceeded'
  | 'context_length'
  | 'content_filter'
  | 'upstream'
  | 'upstream_timeout'
  | 'internal';

export class GatewayError extends Error {
  override readonly name = 'GatewayError';
  readonly status: number;
  readonly code: GatewayErrorCode;
  /** The request field at fault, when one is (OpenAI's `param`). */
  readonly param: string | undefined;
  readonly retryAfterMs: number | undefined;
  constructor(init: { code: GatewayErrorCode; message: string; param?: string | undefined; retryAfterMs?: number | undefined; status?: number }) {
    super(init.message);
    this.code = init.code;
    this.status = init.status ?? STATUS[init.code];
    this.param = init.param;
    this.retryAfterMs = init.retryAfterMs;
  }

  /** Whether an SDK should try again on its own (sent as `x-should-retry`, which both SDKs honour). */
  get shouldRetry(): boolean {
    return this.code === 'busy' || this.code === 'rate_limited' || this.code === 'upstream' || this.code === 'upstream_timeout';
  }
}

const STATUS: Record<GatewayErrorCode, number> = {
  invalid_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  unknown_route: 404,
  body_too_large: 413,
  busy: 429,
  rate_limited: 429,
  // OpenAI answers an exhausted quota with 429 `insufficient_quota`; the Anthropic shape uses 402 (see anthropic-errors.ts).
  budget_exceeded: 429,
  context_length: 400,
  content_filter: 400,
  upstream: 502,
  upstream_timeout: 504,
  internal: 500,
};

/**
 * A provider's failure, as the gateway's client should see it. The client's own token was fine, so
 * an upstream `auth` failure (our key to OpenAI) is a 502 naming the setting, never a 401 that would
 * make the client think its gateway token is wrong.
 */
const BY_KIND: Record<ProviderErrorKind, GatewayErrorCode> = {
  auth: 'upstream',
  rate_limit: 'rate_limited',
  not_found: 'not_found',
  context_length: 'context_length',
  content_filter: 'content_filter',
  timeout: 'upstream_timeout',
  connection: 'upstream',
  bad_request: 'invalid_request',
  server: 'upstream',
  aborted: 'internal',
  budget: 'budget_exceeded',
  engine_crashed: 'upstream',
};

export function toGatewayError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  if (error instanceof ParameterError) return new GatewayError({ code: 'invalid_request', message: error.message, param: error.parameter });
  if (error instanceof ProviderError) return fromProviderData(error);
  return new GatewayError({ code: 'internal', message: 'internal error in the gateway; see the Switchboard log' });
}

export function fromProviderData(error: { kind: ProviderErrorKind; message: string; provider?: string | undefined; retryAfterMs?: number | undefined }): GatewayError {
  const code = BY_KIND[error.kind];
  const from = error.provider !== undefined && code === 'upstream' ? ` (provider ${error.provider})` : '';
  return new GatewayError({ code, message: `${error.message}${from}`, retryAfterMs: error.retryAfterMs });
}

/** A context size (`num_ctx`, `n_ctx`…) is how a local model is loaded, not a setting of one request. */
export const CONTEXT_SIZE_WARNING: CallWarning = {
  type: 'unsupported',
  feature: 'contextSize',
  details: 'a context size is a load option of local models, not of one request; set engine.contextSize in switchboard.yaml. It was not sent',
};
