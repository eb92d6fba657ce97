import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../shared/llm';
import { ParameterError } from '../params';
import { anthropicErrorBody, anthropicStatus } from './anthropic/anthropic-errors';
import { toGatewayError } from './gateway-error';
import { openAIErrorBody } from './openai/openai-errors';

describe('gateway errors', () => {
  it('maps provider failures to the status a client can act on', () => {
    const status = (kind: ConstructorParameters<typeof ProviderError>[0]['kind']) => toGatewayError(new ProviderError({ kind, message: 'x' })).status;
    expect(status('not_found')).toBe(404);
    expect(status('bad_request')).toBe(400);
    expect(status('context_length')).toBe(400);
    expect(status('rate_limit')).toBe(429);
    expect(status('budget')).toBe(429);
    // The client's token was fine: a bad upstream key is the gateway's upstream failing, not a 401.
    expect(status('auth')).toBe(502);
    expect(status('server')).toBe(502);
    expect(status('timeout')).toBe(504);
  });

  it("writes a spent budget in each API's own words, marked not worth retrying", () => {
    const budget = toGatewayError(new ProviderError({ kind: 'budget', message: 'group:pricey is spent' }));
    expect(budget.shouldRetry).toBe(false);
    expect(openAIErrorBody(budget)).toEqual({ error: { message: 'group:pricey is spent', type: 'insufficient_quota', param: null, code: 'insufficient_quota' } });
    expect(anthropicStatus(budget)).toBe(402);
    expect(anthropicErrorBody(budget)).toEqual({ type: 'error', error: { type: 'billing_error', message: 'group:pricey is spent' } });
  });

  it('names the parameter of a range error, and hides the details of unexpected ones', () => {
    const range = toGatewayError(new ParameterError('top_p', 'top_p 2 is out of range: expected more than 0 and at most 1'));
    expect(openAIErrorBody(range).error).toMatchObject({ param: 'top_p', type: 'invalid_request_error' });
    const internal = toGatewayError(new TypeError('secret internals at /home/x'));
    expect(internal.status).toBe(500);
    expect(internal.message).not.toContain('/home/x');
  });
});
