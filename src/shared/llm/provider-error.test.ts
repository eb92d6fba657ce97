import { describe, expect, it } from 'vitest';
import { ProviderError, providerErrorDataSchema } from './provider-error';

describe('ProviderError', () => {
  it('derives retryable from the kind unless told', () => {
    expect(new ProviderError({ kind: 'rate_limit', message: 'slow down' }).retryable).toBe(true);
    expect(new ProviderError({ kind: 'server', message: 'boom' }).retryable).toBe(true);
    expect(new ProviderError({ kind: 'auth', message: 'no key' }).retryable).toBe(false);
    expect(new ProviderError({ kind: 'aborted', message: 'stopped' }).retryable).toBe(false);
    expect(new ProviderError({ kind: 'server', message: 'x', retryable: false }).retryable).toBe(false);
  });

  it('round-trips through its serializable data, leaving out unknown fields', () => {
    const error = new ProviderError({ kind: 'rate_limit', message: 'slow down', status: 429, retryAfterMs: 2000, provider: 'openai' });
    const data = error.toData();
    expect(providerErrorDataSchema.parse(data)).toEqual(data);
    expect(data).toEqual({ kind: 'rate_limit', message: 'slow down', status: 429, retryable: true, retryAfterMs: 2000, provider: 'openai' });
    expect(new ProviderError({ kind: 'timeout', message: 't' }).toData()).toEqual({ kind: 'timeout', message: 't', retryable: true });
    const back = ProviderError.fromData(data);
    expect(back).toBeInstanceOf(ProviderError);
    expect(back.toData()).toEqual(data);
  });

  it('wraps foreign errors and keeps its own', () => {
    const own = new ProviderError({ kind: 'auth', message: 'x' });
    expect(ProviderError.from(own, { kind: 'server' })).toBe(own);
    const wrapped = ProviderError.from(new TypeError('fetch failed'), { kind: 'connection', provider: 'ollama' });
    expect(wrapped.kind).toBe('connection');
    expect(wrapped.message).toBe('fetch failed');
    expect(wrapped.cause).toBeInstanceOf(TypeError);
  });
});
