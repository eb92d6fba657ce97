import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { IPC_CHANNELS, type ServerFrame } from '../shared/contract';
import { resolveAppLocation } from './app-location';
import { type BridgeEvent, type BridgeIpcMain, type BridgeWebContents, bindIpcBridge, senderInfo } from './ipc-bridge';
import { createTestDispatcher } from './testing/test-dispatcher';

const PAGE = 'file:///app/out/renderer/index.html';
const location = resolveAppLocation({ rendererDir: '/app/out/renderer' });

/** ipcMain as the bridge sees it: invoke handlers plus on/removeListener. */
function fakeIpcMain() {
  const emitter = new EventEmitter();
  const handlers = new Map<string, (event: BridgeEvent, ...args: unknown[]) => unknown>();
  const ipcMain: BridgeIpcMain = {
    handle: (channel, listener) => void handlers.set(channel, listener),
    removeHandler: (channel) => void handlers.delete(channel),
    on: (channel, listener) => emitter.on(channel, listener),
    removeListener: (channel, listener) => emitter.removeListener(channel, listener),
  };
  return {
    ipcMain,
    handlers,
    invoke: (channel: string, event: BridgeEvent, ...args: unknown[]) => handlers.get(channel)?.(event, ...args),
    send: (channel: string, event: BridgeEvent, ...args: unknown[]) => emitter.emit(channel, event, ...args),
    listenerCount: (channel: string) => emitter.listenerCount(channel),
  };
}

function fakeWebContents(id: number) {
  const emitter = new EventEmitter();
  const frames: ServerFrame[] = [];
  let destroyed = false;
  const contents: BridgeWebContents = {
    id,
    send: (channel, frame) => {
      if (channel === IPC_CHANNELS.frame) frames.push(frame as ServerFrame);
    },
    isDestroyed: () => destroyed,
    once: (event, listener) => emitter.once(event, listener),
  };
  const event = (url = PAGE, isMainFrame = true): BridgeEvent => ({
    sender: contents,
    senderFrame: { url, parent: isMainFrame ? null : {} },
  });
  const destroy = () => {
    destroyed = true;
    emitter.emit('destroyed');
  };
  return { contents, frames, event, destroy };
}

const tick = (ms = 5) => new Promise((resolve) => setTimeout(resolve, ms));

function setup() {
  const ipc = fakeIpcMain();
  const { dispatcher, waiting } = createTestDispatcher();
  const logs: string[] = [];
  const bridge = bindIpcBridge({ ipcMain: ipc.ipcMain, dispatcher, location, log: (m) => logs.push(m) });
  const win = fakeWebContents(1);
  bridge.attach(win.contents);
  return { ipc, bridge, win, waiting, logs };
}

describe('ipc bridge', () => {
  it('answers requests with the dispatcher Result, validated by its schemas', async () => {
    const { ipc, win } = setup();
    await expect(ipc.invoke(IPC_CHANNELS.request, win.event(), 'echo.upper', { text: 'hi' })).resolves.toEqual({
      ok: true,
      data: { text: 'HI' },
    });
    await expect(ipc.invoke(IPC_CHANNELS.request, win.event(), 'echo.upper', { text: 1 })).resolves.toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED' },
    });
    await expect(ipc.invoke(IPC_CHANNELS.request, win.event(), { not: 'a route' }, {})).resolves.toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED' },
    });
  });

  it('refuses requests from iframes, foreign pages and windows it did not attach', async () => {
    const { ipc, win, logs } = setup();
    const stranger = fakeWebContents(2);
    for (const event of [win.event(PAGE, false), win.event('https://evil.example/'), stranger.event()]) {
      await expect(ipc.invoke(IPC_CHANNELS.request, event, 'echo.upper', { text: 'x' })).resolves.toMatchObject({
        ok: false,
        error: { code: 'UNAUTHORIZED' },
      });
    }
    expect(logs).toHaveLength(3);
  });

  it('streams frames back to the sender, which can abort', async () => {
    const { ipc, win, waiting, bridge } = setup();
    ipc.send(IPC_CHANNELS.stream, win.event(), 'id-1', 'count.up', { to: 2 });
    ipc.send(IPC_CHANNELS.stream, win.event(), 'id-2', 'count.wait', {});
    await tick();
    expect(win.frames.filter((f) => f.t !== 'event' && f.id === 'id-1')).toEqual([
      { t: 'chunk', id: 'id-1', data: { n: 1 } },
      { t: 'chunk', id: 'id-1', data: { n: 2 } },
      { t: 'end', id: 'id-1' },
    ]);
    expect(bridge.activeStreams(1)).toBe(1);
    ipc.send(IPC_CHANNELS.abort, win.event(), 'id-2');
    await tick();
    expect(waiting.aborted).toBe(1);
    expect(win.frames.at(-1)).toEqual({ t: 'end', id: 'id-2' });
    expect(bridge.activeStreams()).toBe(0);
  });

  it('ignores streams and aborts from untrusted senders', async () => {
    const { ipc, win, waiting } = setup();
    const stranger = fakeWebContents(2);
    ipc.send(IPC_CHANNELS.stream, stranger.event(), 's', 'count.up', { to: 1 });
    ipc.send(IPC_CHANNELS.stream, win.event(), 'w', 'count.wait', {});
    await tick();
    ipc.send(IPC_CHANNELS.abort, win.event('https://evil.example/'), 'w');
    await tick();
    expect(stranger.frames).toEqual([]);
    expect(waiting.aborted).toBe(0);
  });

  it('aborts the streams of a webContents when it is destroyed, and stops trusting it', async () => {
    const { ipc, win, waiting, bridge } = setup();
    ipc.send(IPC_CHANNELS.stream, win.event(), 'a', 'count.wait', {});
    ipc.send(IPC_CHANNELS.stream, win.event(), 'b', 'count.wait', {});
    await tick();
    win.destroy();
    await tick();
    expect(waiting.aborted).toBe(2);
    expect(bridge.activeStreams()).toBe(0);
    await expect(ipc.invoke(IPC_CHANNELS.request, win.event(), 'echo.upper', { text: 'x' })).resolves.toMatchObject({
      ok: false,
    });
  });

  it('pushes events to every attached window', () => {
    const { bridge, win } = setup();
    const other = fakeWebContents(5);
    bridge.attach(other.contents);
    bridge.broadcast('models.changed', { count: 1 });
    expect(win.frames).toEqual([{ t: 'event', name: 'models.changed', data: { count: 1 } }]);
    expect(other.frames).toEqual(win.frames);
  });

  it('removes its handlers on dispose', () => {
    const { ipc, bridge } = setup();
    bridge.dispose();
    expect(ipc.handlers.size).toBe(0);
    expect(ipc.listenerCount(IPC_CHANNELS.stream)).toBe(0);
    expect(ipc.listenerCount(IPC_CHANNELS.abort)).toBe(0);
  });

  it('reads a sender frame that is gone as untrusted', () => {
    const { win } = setup();
    const gone = {
      sender: win.contents,
      get senderFrame(): never {
        throw new Error('Render frame was disposed');
      },
    };
    expect(senderInfo(gone)).toEqual({ frameUrl: null, isMainFrame: false, webContentsId: 1 });
    expect(senderInfo({ sender: win.contents, senderFrame: null }).frameUrl).toBeNull();
  });
});
