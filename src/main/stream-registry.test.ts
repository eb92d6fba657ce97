import { describe, expect, it } from 'vitest';
import type { ServerFrame } from '../shared/contract';
import { type FrameSink, createStreamRegistry } from './stream-registry';
import { createTestDispatcher } from './testing/test-dispatcher';

function fakeSink(id = 1) {
  const frames: ServerFrame[] = [];
  let destroyed = false;
  const sink: FrameSink = { id, send: (frame) => frames.push(frame), isDestroyed: () => destroyed };
  const ended = () => frames.some((f) => f.t === 'end');
  const waitForEnd = async () => {
    for (let i = 0; i < 100 && !ended(); i += 1) await new Promise((resolve) => setTimeout(resolve, 1));
  };
  return { sink, frames, destroy: () => (destroyed = true), waitForEnd };
}

describe('stream registry', () => {
  it('sends each chunk, then one end, to the sink that asked', async () => {
    const { dispatcher } = createTestDispatcher();
    const registry = createStreamRegistry(dispatcher);
    const a = fakeSink(1);
    const b = fakeSink(2);
    registry.start(a.sink, 's1', 'count.up', { to: 3 });
    await a.waitForEnd();
    expect(a.frames).toEqual([
      { t: 'chunk', id: 's1', data: { n: 1 } },
      { t: 'chunk', id: 's1', data: { n: 2 } },
      { t: 'chunk', id: 's1', data: { n: 3 } },
      { t: 'end', id: 's1' },
    ]);
    expect(b.frames).toEqual([]);
    expect(registry.size()).toBe(0);
  });

  it('ends at once with the error for a bad route or input (zod, in the dispatcher)', () => {
    const { dispatcher } = createTestDispatcher();
    const registry = createStreamRegistry(dispatcher);
    const s = fakeSink();
    registry.start(s.sink, 'a', 'nope', {});
    registry.start(s.sink, 'b', 'count.up', { to: 'three' });
    registry.start(s.sink, 'c', 'echo.upper', { text: 'x' }); // a request route is not a stream
    registry.start(s.sink, 'd', 42, {});
    expect(s.frames.map((f) => (f.t === 'end' ? [f.id, f.error?.code] : f.t))).toEqual([
      ['a', 'UNKNOWN_ROUTE'],
      ['b', 'VALIDATION_FAILED'],
      ['c', 'UNKNOWN_ROUTE'],
      ['d', 'VALIDATION_FAILED'],
    ]);
    expect(registry.size()).toBe(0);
  });

  it('drops a frame with no usable id: there is nowhere to answer', () => {
    const { dispatcher } = createTestDispatcher();
    const registry = createStreamRegistry(dispatcher);
    const s = fakeSink();
    registry.start(s.sink, '', 'count.up', { to: 1 });
    registry.start(s.sink, 'x'.repeat(65), 'count.up', { to: 1 });
    registry.start(s.sink, 7, 'count.up', { to: 1 });
    expect(s.frames).toEqual([]);
  });

  it('aborts one stream; the handler ends it and its last frames still arrive', async () => {
    const { dispatcher, waiting } = createTestDispatcher();
    const registry = createStreamRegistry(dispatcher);
    const s = fakeSink();
    registry.start(s.sink, 'w', 'count.wait', {});
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(registry.size(1)).toBe(1);
    expect(registry.abort(1, 'w')).toBe(true);
    await s.waitForEnd();
    expect(waiting.aborted).toBe(1);
    expect(s.frames.at(-1)).toEqual({ t: 'end', id: 'w' });
    expect(registry.abort(1, 'w')).toBe(false);
    expect(registry.size()).toBe(0);
  });

  it('refuses a second stream with a running id, per sink', async () => {
    const { dispatcher } = createTestDispatcher();
    const registry = createStreamRegistry(dispatcher);
    const a = fakeSink(1);
    const b = fakeSink(2);
    registry.start(a.sink, 'w', 'count.wait', {});
    registry.start(a.sink, 'w', 'count.up', { to: 1 });
    registry.start(b.sink, 'w', 'count.up', { to: 1 }); // another window may reuse it
    await b.waitForEnd();
    expect(a.frames).toContainEqual({ t: 'end', id: 'w', error: expect.objectContaining({ code: 'CONFLICT' }) });
    expect(b.frames.at(-1)).toEqual({ t: 'end', id: 'w' });
    registry.abortAll(1);
  });

  it('ends with the error a handler throws midway', async () => {
    const { dispatcher } = createTestDispatcher();
    const registry = createStreamRegistry(dispatcher);
    const s = fakeSink();
    registry.start(s.sink, 'f', 'count.fail', {});
    await s.waitForEnd();
    expect(s.frames).toEqual([
      { t: 'chunk', id: 'f', data: { n: 1 } },
      { t: 'end', id: 'f', error: { code: 'UNAVAILABLE', message: 'engine went away' } },
    ]);
  });

  it('aborts every stream of a sink that goes away and sends it nothing more', async () => {
    const { dispatcher, waiting } = createTestDispatcher();
    const registry = createStreamRegistry(dispatcher);
    const s = fakeSink(3);
    registry.start(s.sink, 'w1', 'count.wait', {});
    registry.start(s.sink, 'w2', 'count.wait', {});
    await new Promise((resolve) => setTimeout(resolve, 5));
    const before = s.frames.length;
    s.destroy();
    expect(registry.abortAll(3)).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(waiting.aborted).toBe(2);
    expect(s.frames.length).toBe(before);
    expect(registry.size()).toBe(0);
  });
});
