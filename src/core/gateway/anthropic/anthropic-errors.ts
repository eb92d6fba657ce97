import type { GatewayError, GatewayErrorCode } from '../gateway-error';

/** Anthropic's error `type` per failure, from its API reference. */
const TYPE: Record<GatewayErrorCode, string> = {
  invalid_request: 'invalid_request_error',
  unauthorized: 'authentication_error',
  forbidden: 'permission_error',
  not_found: 'not_found_error',
  unknown_route: 'not_found_error',
  body_too_large: 'request_too_large',
  busy: 'rate_limit_error',
  rate_limited: 'rate_limit_error',
  budget_exceeded: 'billing_error',
  context_length: 'invalid_request_error',
  content_filter: 'invalid_request_error',
  upstream: 'api_error',
  upstream_timeout: 'timeout_error',
  internal: 'api_error',
};

/** Anthropic answers a billing problem with 402 `billing_error`; everything else keeps the gateway's status. */
export function anthropicStatus(error: GatewayError): number {
  return error.code === 'budget_exceeded' ? 402 : error.status;
}

/** `{ type: 'error', error: { type, message } }`: the Anthropic SDK raises its usual APIError subclass by status. */
export function anthropicErrorBody(error: GatewayError): { type: 'error'; error: { type: string; message: string } } {
  return { type: 'error', error: { type: TYPE[error.code], message: error.message } };
}
