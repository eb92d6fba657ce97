import { describe, expect, it, vi } from 'vitest';
import type { PreloadBridge, ServerFrame } from '../../../shared/contract';
import { createPreloadTransport } from './preload-transport';
import { selectTransport } from './select-transport';
import type { StreamFrame } from './transport';

function fakeBridge() {
  let push: ((frame: ServerFrame) => void) | undefined;
  const abort = vi.fn();
  const bridge: PreloadBridge = {
    request: vi.fn(async () => ({ ok: true as const, data: 'pong' })),
    stream: vi.fn((_route, _input, onFrame) => {
      push = onFrame;
      return abort;
    }),
    on: vi.fn(() => () => {}),
  };
  return { bridge, abort, push: (frame: ServerFrame) => push?.(frame) };
}

describe('createPreloadTransport', () => {
  it('forwards requests and streams to the bridge, passing only chunk and end frames on', async () => {
    const { bridge, abort, push } = fakeBridge();
    const transport = createPreloadTransport(bridge);
    expect(await transport.request('usage.summary', {})).toEqual({ ok: true, data: 'pong' });
    expect(bridge.request).toHaveBeenCalledWith('usage.summary', {});

    const frames: StreamFrame[] = [];
    const stop = transport.stream('chat.send', { text: 'hi' }, (f) => frames.push(f));
    push({ t: 'chunk', id: '1', data: 'x' });
    push({ t: 'event', name: 'other', data: null });
    push({ t: 'end', id: '1' });
    expect(frames).toEqual([
      { t: 'chunk', id: '1', data: 'x' },
      { t: 'end', id: '1' },
    ]);
    stop();
    expect(abort).toHaveBeenCalledOnce();
  });

  it('reports itself open', () => {
    const states: string[] = [];
    createPreloadTransport(fakeBridge().bridge).onConnection((s) => states.push(s));
    expect(states).toEqual(['open']);
  });
});

describe('selectTransport', () => {
  it('prefers the preload bridge when the page runs in Electron', () => {
    const transport = selectTransport({
      switchboard: fakeBridge().bridge,
      location: { protocol: 'file:', host: '', search: '' },
    });
    expect(transport.kind).toBe('preload');
  });

  it('falls back to the WebSocket of `switchboard serve`', () => {
    const created: string[] = [];
    const OriginalWebSocket = globalThis.WebSocket;
    globalThis.WebSocket = class {
      constructor(url: string) {
        created.push(url);
      }
      close() {}
    } as unknown as typeof WebSocket;
    try {
      const transport = selectTransport({ location: { protocol: 'http:', host: '127.0.0.1:5', search: '?token=abc' } });
      expect(transport.kind).toBe('websocket');
      expect(created).toEqual(['ws://127.0.0.1:5/ws?token=abc']);
      transport.close();
    } finally {
      globalThis.WebSocket = OriginalWebSocket;
    }
  });
});
