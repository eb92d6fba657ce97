import type { EventEmitter } from 'node:events';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { BRIDGE_GLOBAL, IPC_CHANNELS, type PreloadBridge, type ServerFrame } from '../shared/contract';

/** The preload against a fake contextBridge/ipcRenderer: what it exposes and what it sends. */
const fake = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  sent: [] as unknown[][],
  invoked: [] as unknown[][],
  renderer: undefined as unknown as EventEmitter,
}));

vi.mock('electron', async () => {
  const { EventEmitter: Emitter } = await import('node:events');
  const renderer = Object.assign(new Emitter(), {
    send: (...args: unknown[]) => void fake.sent.push(args),
    invoke: async (...args: unknown[]) => {
      fake.invoked.push(args);
      return { ok: true, data: 'answer' };
    },
  });
  fake.renderer = renderer;
  return {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => void fake.exposed.set(key, api) },
    ipcRenderer: renderer,
    webUtils: { getPathForFile: (file: { name: string }) => `/dropped/${file.name}` },
  };
});

let bridge: PreloadBridge;
const deliver = (frame: ServerFrame) => fake.renderer.emit(IPC_CHANNELS.frame, {}, frame);

describe('preload bridge', () => {
  beforeAll(async () => {
    await import('./index');
    bridge = fake.exposed.get(BRIDGE_GLOBAL) as PreloadBridge;
  });

  it('exposes exactly request, stream, on and filePath', () => {
    expect(Object.keys(bridge).sort()).toEqual(['filePath', 'on', 'request', 'stream']);
  });

  it('asks webUtils for a dropped file’s path', () => {
    expect(bridge.filePath?.({ name: 'model.gguf' })).toBe('/dropped/model.gguf');
  });

  it('forwards a request as an invoke', async () => {
    await expect(bridge.request('models.local.list', {})).resolves.toEqual({ ok: true, data: 'answer' });
    expect(fake.invoked.at(-1)).toEqual([IPC_CHANNELS.request, 'models.local.list', {}]);
  });

  it('routes the frames of its own stream, until the end', () => {
    const a: ServerFrame[] = [];
    const b: ServerFrame[] = [];
    bridge.stream('chat.send', { text: 'a' }, (f) => a.push(f));
    bridge.stream('chat.send', { text: 'b' }, (f) => b.push(f));
    const [idA, idB] = fake.sent.slice(-2).map((m) => m[1] as string);
    expect(fake.sent.slice(-2)).toEqual([
      [IPC_CHANNELS.stream, idA, 'chat.send', { text: 'a' }],
      [IPC_CHANNELS.stream, idB, 'chat.send', { text: 'b' }],
    ]);
    expect(idA).not.toBe(idB);

    deliver({ t: 'chunk', id: idA!, data: 1 });
    deliver({ t: 'chunk', id: idB!, data: 2 });
    deliver({ t: 'end', id: idA! });
    deliver({ t: 'chunk', id: idA!, data: 'late' }); // after its end: dropped
    expect(a).toEqual([
      { t: 'chunk', id: idA, data: 1 },
      { t: 'end', id: idA },
    ]);
    expect(b).toEqual([{ t: 'chunk', id: idB, data: 2 }]);
  });

  it('aborts once, and still delivers what main sends until the end', () => {
    const frames: ServerFrame[] = [];
    const abort = bridge.stream('chat.send', {}, (f) => frames.push(f));
    const id = fake.sent.at(-1)![1] as string;
    abort();
    abort();
    expect(fake.sent.filter((m) => m[0] === IPC_CHANNELS.abort)).toEqual([[IPC_CHANNELS.abort, id]]);
    deliver({ t: 'chunk', id, data: 'final usage' });
    deliver({ t: 'end', id });
    expect(frames.map((f) => f.t)).toEqual(['chunk', 'end']);
    const before = fake.sent.length;
    abort(); // ended: nothing to abort
    expect(fake.sent.length).toBe(before);
  });

  it('delivers pushed events by name, with unsubscribe', () => {
    const seen: unknown[] = [];
    const off = bridge.on('models.changed', (data) => seen.push(data));
    deliver({ t: 'event', name: 'models.changed', data: 1 });
    deliver({ t: 'event', name: 'other', data: 2 });
    off();
    deliver({ t: 'event', name: 'models.changed', data: 3 });
    expect(seen).toEqual([1]);
  });
});
