import { afterEach, describe, expect, it, vi } from 'vitest';
import { createClient } from './client';
import { ContractCallError } from './contract-errors';
import { createFakeTransport } from './testing/fake-transport';

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('createClient', () => {
  afterEach(() => vi.useRealTimers());

  it('passes requests through and returns the Result envelope untouched', async () => {
    const fake = createFakeTransport({
      'conversations.get': (input) => ({ ok: false, error: { code: 'NOT_FOUND', message: `no ${(input as { id: string }).id}` } }),
      'usage.summary': () => ({ ok: true, data: { totals: { calls: 1 } } }),
    });
    const client = createClient(fake.transport);
    expect(await client.request('conversations.get', { id: 'c1' })).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'no c1' },
    });
    const usage = await client.request('usage.summary', {});
    expect(usage.ok && usage.data.totals.calls).toBe(1);
    expect(fake.requests.map((r) => r.route)).toEqual(['conversations.get', 'usage.summary']);
  });

  it('streams chunks as an async iterable and ends on the end frame', async () => {
    const fake = createFakeTransport();
    const client = createClient(fake.transport);
    const stream = client.stream('chat.send', { model: 'local/tiny', text: 'hi' });
    const seen: string[] = [];
    const reading = (async () => {
      for await (const chunk of stream) seen.push(chunk.type === 'text-delta' ? chunk.delta : chunk.type);
    })();
    const server = fake.streams[0]!;
    expect(server.input).toEqual({ model: 'local/tiny', text: 'hi' });
    server.chunk({ type: 'stream-start', warnings: [] });
    server.chunk({ type: 'text-delta', id: 't', delta: 'Hel' });
    await flush();
    expect(seen).toEqual(['stream-start', 'Hel']);
    server.chunk({ type: 'text-delta', id: 't', delta: 'lo' });
    server.end();
    await reading;
    expect(seen).toEqual(['stream-start', 'Hel', 'lo']);
  });

  it('throws a ContractCallError when the stream ends with an error', async () => {
    const fake = createFakeTransport();
    const stream = createClient(fake.transport).stream('chat.send', { model: 'x', text: 'hi' });
    fake.streams[0]!.end({ code: 'VALIDATION_FAILED', message: 'chat.send: model: choose a model' });
    const error = await (async () => {
      try {
        for await (const _ of stream) void _;
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ContractCallError);
    expect((error as ContractCallError).error.code).toBe('VALIDATION_FAILED');
  });

  it('abort() reaches the transport, keeps reading until the host ends, and swallows its ABORTED', async () => {
    const fake = createFakeTransport();
    const stream = createClient(fake.transport).stream('chat.send', { model: 'x', text: 'hi' });
    const seen: string[] = [];
    const reading = (async () => {
      for await (const chunk of stream) seen.push(chunk.type);
    })();
    stream.abort();
    expect(stream.aborted).toBe(true);
    expect(fake.streams[0]!.aborted).toBe(true);
    fake.streams[0]!.chunk({ type: 'finish', usage: { inputTokens: {}, outputTokens: {} }, finishReason: { unified: 'aborted' } });
    fake.streams[0]!.end({ code: 'ABORTED', message: 'aborted' });
    await reading;
    expect(seen).toEqual(['finish']);
  });

  it('ends locally after the grace period when the host never answers an abort', async () => {
    vi.useFakeTimers();
    const fake = createFakeTransport();
    const stream = createClient(fake.transport, { abortGraceMs: 500 }).stream('chat.send', { model: 'x', text: 'hi' });
    let done = false;
    void (async () => {
      for await (const _ of stream) void _;
      done = true;
    })();
    stream.abort();
    await vi.advanceTimersByTimeAsync(499);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(done).toBe(true);
  });

  it('aborts the stream when the reader breaks out early', async () => {
    const fake = createFakeTransport();
    const stream = createClient(fake.transport).stream('chat.send', { model: 'x', text: 'hi' });
    fake.streams[0]!.chunk({ type: 'stream-start', warnings: [] });
    for await (const _ of stream) break;
    expect(fake.streams[0]!.aborted).toBe(true);
  });
});
