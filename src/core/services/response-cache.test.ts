import { describe, expect, it } from 'vitest';
import { type CallOptions } from '../../shared/llm';
import { normalizedRequest } from './response-cache';

const ask = (extra: Partial<CallOptions> = {}): CallOptions => ({ messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], ...extra });

describe('normalizedRequest (the cache key\'s input)', () => {
  it('ignores property order, headers and the abort signal', () => {
    const a = normalizedRequest('g', { ...ask(), temperature: 0, maxOutputTokens: 10, providerOptions: { openai: { user: 'x', seed: 1 } } });
    const b = normalizedRequest('g', {
      maxOutputTokens: 10, temperature: 0, ...ask(), providerOptions: { openai: { seed: 1, user: 'x' } },
      headers: { 'x-trace': '1' }, abortSignal: new AbortController().signal,
    });
    expect(a).toBe(b);
  });

  it('differs for anything that changes the reply, and per group', () => {
    const base = normalizedRequest('g', ask({ temperature: 0 }));
    for (const other of [
      normalizedRequest('h', ask({ temperature: 0 })),
      normalizedRequest('g', ask({ temperature: 0, system: 'be brief' })),
      normalizedRequest('g', ask({ temperature: 0, maxOutputTokens: 5 })),
      normalizedRequest('g', ask({ temperature: 0, stop: ['\n'] })),
      normalizedRequest('g', ask({ temperature: 0, tools: [{ name: 't', inputSchema: {} }] })),
      normalizedRequest('g', ask({ temperature: 0, responseFormat: { type: 'json' } })),
      normalizedRequest('g', { messages: [{ role: 'user', content: [{ type: 'text', text: 'hi!' }] }], temperature: 0 }),
    ]) {
      expect(other).not.toBe(base);
    }
  });
});
