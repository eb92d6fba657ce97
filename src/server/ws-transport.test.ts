import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from './start-server';
import { createTestDispatcher } from './testing/test-dispatcher';
import { type TestClient, connect } from './testing/ws-test-client';
import { PROTOCOL_ERROR_EVENT, parseClientFrame } from './ws-transport';

let server: RunningServer;
let client: TestClient;
const test = createTestDispatcher();

beforeAll(async () => {
  server = await startServer({ dispatcher: test.dispatcher, rendererDir: '/nonexistent', port: 0, maxPayloadBytes: 64 * 1024 });
  client = await connect(server.wsUrl);
});

afterAll(async () => {
  client.close();
  await server.close();
});

describe('requests', () => {
  it('answers a request with its result, tagged with origin ws', async () => {
    client.send({ t: 'req', id: 'r1', route: 'echo', input: { text: 'hello' } });
    expect(await client.next()).toEqual({ t: 'res', id: 'r1', result: { ok: true, data: { text: 'hello' } } });
    expect(test.origins.at(-1)).toBe('ws');
  });

  it('returns VALIDATION_FAILED for bad input', async () => {
    client.send({ t: 'req', id: 'r2', route: 'echo', input: { text: 42 } });
    const frame = await client.next();
    expect(frame).toMatchObject({ t: 'res', id: 'r2', result: { ok: false, error: { code: 'VALIDATION_FAILED' } } });
    expect(JSON.stringify(frame)).toContain('text');
  });

  it('lets a client leave out input (JSON drops undefined) so the route default applies', async () => {
    client.send({ t: 'req', id: 'r0', route: 'missing' });
    expect(await client.next()).toMatchObject({ id: 'r0', result: { ok: false, error: { code: 'NOT_FOUND' } } });
  });

  it('returns UNKNOWN_ROUTE and handler failures as results', async () => {
    client.send({ t: 'req', id: 'r3', route: 'nope', input: {} });
    expect(await client.next()).toMatchObject({ id: 'r3', result: { ok: false, error: { code: 'UNKNOWN_ROUTE' } } });
    client.send({ t: 'req', id: 'r4', route: 'missing' });
    expect(await client.next()).toEqual({
      t: 'res',
      id: 'r4',
      result: { ok: false, error: { code: 'NOT_FOUND', message: 'there is nothing here' } },
    });
  });
});

describe('streams', () => {
  it('sends chunks then end', async () => {
    client.send({ t: 'stream', id: 's1', route: 'count', input: { n: 3 } });
    expect(await client.collectStream('s1')).toEqual([
      { t: 'chunk', id: 's1', data: { i: 0 } },
      { t: 'chunk', id: 's1', data: { i: 1 } },
      { t: 'chunk', id: 's1', data: { i: 2 } },
      { t: 'end', id: 's1' },
    ]);
  });

  it('delivers a long stream whole and in order when every frame waits for its flush', async () => {
    const strict = await startServer({ dispatcher: test.dispatcher, rendererDir: '/nonexistent', port: 0, transport: { highWaterMark: 0 } });
    const own = await connect(strict.wsUrl);
    const n = 2_000;
    own.send({ t: 'stream', id: 'big', route: 'count', input: { n } });
    const frames = await own.collectStream('big');
    expect(frames).toHaveLength(n + 1);
    expect(frames.map((f) => (f.t === 'chunk' ? (f.data as { i: number }).i : 'end'))).toEqual([
      ...Array.from({ length: n }, (_, i) => i),
      'end',
    ]);
    own.close();
    await strict.close();
  });

  it('ends with the validation error and no chunks when the input is bad', async () => {
    client.send({ t: 'stream', id: 's2', route: 'count', input: { n: -1 } });
    expect(await client.collectStream('s2')).toEqual([
      { t: 'end', id: 's2', error: expect.objectContaining({ code: 'VALIDATION_FAILED' }) },
    ]);
  });

  it('ends with the error when the handler throws mid-stream', async () => {
    client.send({ t: 'stream', id: 's3', route: 'explode' });
    expect(await client.collectStream('s3')).toEqual([
      { t: 'chunk', id: 's3', data: { i: 0 } },
      { t: 'end', id: 's3', error: { code: 'UNAVAILABLE', message: 'the engine went away' } },
    ]);
  });

  it('aborts a stream on an abort frame and still ends it', async () => {
    client.send({ t: 'stream', id: 's4', route: 'hang', input: { tag: 'abort-frame' } });
    expect(await client.next()).toEqual({ t: 'chunk', id: 's4', data: { i: 0 } });
    client.send({ t: 'abort', id: 's4' });
    await test.aborted('abort-frame');
    expect(await client.collectStream('s4')).toEqual([{ t: 'chunk', id: 's4', data: { i: -1 } }, { t: 'end', id: 's4' }]);
  });

  it('ignores an abort for an unknown id', async () => {
    client.send({ t: 'abort', id: 'never-started' });
    client.send({ t: 'req', id: 'after-abort', route: 'echo', input: { text: 'ok' } });
    expect(await client.next()).toMatchObject({ t: 'res', id: 'after-abort' });
  });

  it('refuses a second stream on an id in use without ending the first', async () => {
    client.send({ t: 'stream', id: 'dup', route: 'hang', input: { tag: 'dup' } });
    expect(await client.next()).toEqual({ t: 'chunk', id: 'dup', data: { i: 0 } });
    client.send({ t: 'stream', id: 'dup', route: 'count', input: { n: 1 } });
    expect(await client.next()).toMatchObject({ t: 'event', name: PROTOCOL_ERROR_EVENT });
    client.send({ t: 'abort', id: 'dup' });
    expect(await client.collectStream('dup')).toEqual([{ t: 'chunk', id: 'dup', data: { i: -1 } }, { t: 'end', id: 'dup' }]);
  });

  it('aborts every stream of a socket when it closes', async () => {
    const other = await connect(server.wsUrl);
    other.send({ t: 'stream', id: 'a', route: 'hang', input: { tag: 'close-a' } });
    other.send({ t: 'stream', id: 'b', route: 'hang', input: { tag: 'close-b' } });
    await other.next();
    await other.next();
    other.close();
    await Promise.all([test.aborted('close-a'), test.aborted('close-b')]);
  });
});

describe('bad frames', () => {
  it('answers bad JSON with a protocol error and keeps the socket usable', async () => {
    client.sendRaw('{not json');
    expect(await client.next()).toEqual({
      t: 'event',
      name: PROTOCOL_ERROR_EVENT,
      data: { code: 'VALIDATION_FAILED', message: 'frame is not valid JSON' },
    });
    client.send({ t: 'req', id: 'still-there', route: 'echo', input: { text: 'yes' } });
    expect(await client.next()).toMatchObject({ t: 'res', id: 'still-there', result: { ok: true } });
  });

  it('answers on the id when it can read one', async () => {
    client.send({ t: 'req', id: 'x1' });
    expect(await client.next()).toMatchObject({ t: 'res', id: 'x1', result: { ok: false, error: { code: 'VALIDATION_FAILED' } } });
    client.send({ t: 'stream', id: 'x2', route: 7 });
    expect(await client.next()).toMatchObject({ t: 'end', id: 'x2', error: { code: 'VALIDATION_FAILED' } });
    client.send({ t: 'bogus', id: 'x3' });
    expect(await client.next()).toMatchObject({ t: 'res', id: 'x3', result: { ok: false } });
  });

  it('answers frames with no usable id, and binary frames, with a protocol error', async () => {
    for (const frame of ['[]', 'null', '"req"', JSON.stringify({ t: 'req', id: 'x'.repeat(65), route: 'echo' })]) {
      client.sendRaw(frame);
      expect(await client.next()).toMatchObject({ t: 'event', name: PROTOCOL_ERROR_EVENT });
    }
    client.socket.send(Buffer.from([1, 2, 3]), { binary: true });
    expect(await client.next()).toMatchObject({ t: 'event', name: PROTOCOL_ERROR_EVENT });
  });

  it('closes a socket that sends a frame over the size limit with 1009', async () => {
    const other = await connect(server.wsUrl);
    other.send({ t: 'req', id: 'huge', route: 'echo', input: { text: 'x'.repeat(100 * 1024) } });
    expect(await other.closed).toEqual({ code: 1009 });
  });
});

describe('parseClientFrame', () => {
  it('parses each frame kind', () => {
    const parse = (v: unknown) => parseClientFrame(Buffer.from(JSON.stringify(v)), false);
    expect(parse({ t: 'abort', id: 'a' })).toEqual({ ok: true, frame: { t: 'abort', id: 'a' } });
    expect(parse({ t: 'req', id: 'a', route: 'r', input: 1 })).toMatchObject({ ok: true });
    expect(parse({ t: 'abort' })).toMatchObject({ ok: false, id: undefined, kind: 'abort' });
  });
});
