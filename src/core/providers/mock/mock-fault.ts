import { ProviderError, type ProviderErrorKind } from '../../../shared/llm';
import type { MockFault } from './mock-settings';

/** The status a real provider would send with each kind; kinds that are not HTTP answers have none. */
const STATUS_BY_KIND: Partial<Record<ProviderErrorKind, number>> = {
  auth: 401,
  not_found: 404,
  rate_limit: 429,
  bad_request: 400,
  context_length: 400,
  content_filter: 400,
  server: 500,
};

export function mockFaultError(fault: MockFault): ProviderError {
  const status = fault.status ?? STATUS_BY_KIND[fault.kind];
  return new ProviderError({
    kind: fault.kind,
    message: fault.message ?? `Mock provider: a simulated ${fault.kind} error.`,
    provider: 'mock',
    ...(status === undefined ? {} : { status }),
    ...(fault.retryAfterMs === undefined ? {} : { retryAfterMs: fault.retryAfterMs }),
  });
}
