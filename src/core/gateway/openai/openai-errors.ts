import type { GatewayError, GatewayErrorCode } from '../gateway-error';

/** OpenAI's `type` and `code` per failure, as api.openai.com writes them. */
const SHAPE: Record<GatewayErrorCode, { type: string; code: string | null }> = {
  invalid_request: { type: 'invalid_request_error', code: null },
  unauthorized: { type: 'invalid_request_error', code: 'invalid_api_key' },
  forbidden: { type: 'invalid_request_error', code: 'forbidden' },
  not_found: { type: 'invalid_request_error', code: 'model_not_found' },
  unknown_route: { type: 'invalid_request_error', code: 'unknown_url' },
  body_too_large: { type: 'invalid_request_error', code: 'request_too_large' },
  busy: { type: 'requests', code: 'rate_limit_exceeded' },
  rate_limited: { type: 'requests', code: 'rate_limit_exceeded' },
  budget_exceeded: { type: 'insufficient_quota', code: 'insufficient_quota' },
  context_length: { type: 'invalid_request_error', code: 'context_length_exceeded' },
  content_filter: { type: 'invalid_request_error', code: 'content_filter' },
  upstream: { type: 'server_error', code: 'upstream_error' },
  upstream_timeout: { type: 'server_error', code: 'upstream_timeout' },
  internal: { type: 'server_error', code: null },
};

/** `{ error: { message, type, param, code } }`: the openai SDK turns it into its usual APIError subclass by status. */
export function openAIErrorBody(error: GatewayError): { error: { message: string; type: string; param: string | null; code: string | null } } {
  const shape = SHAPE[error.code];
  return { error: { message: error.message, type: shape.type, param: error.param ?? null, code: shape.code } };
}
