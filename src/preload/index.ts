import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { BRIDGE_GLOBAL, IPC_CHANNELS, type PreloadBridge } from '../shared/contract/bridge';
import type { ServerFrame } from '../shared/contract/wire';

/**
 * The preload: one generic forwarder, nothing app-specific. It knows routes only as
 * strings; main validates the sender and the dispatcher validates every input.
 * Sandboxed, so it imports nothing but electron and the bridge's constants (bridge.ts
 * holds no runtime imports), and is bundled as CJS.
 */

// Stream ids are ours to pick; a random prefix keeps them apart across reloads of the page.
const idPrefix = Math.random().toString(36).slice(2, 10);
let nextId = 0;

const streamListeners = new Map<string, (frame: ServerFrame) => void>();
const eventListeners = new Map<string, Set<(data: unknown) => void>>();

ipcRenderer.on(IPC_CHANNELS.frame, (_event, frame: ServerFrame) => {
  if (frame.t === 'event') {
    for (const listener of eventListeners.get(frame.name) ?? []) listener(frame.data);
    return;
  }
  const listener = streamListeners.get(frame.id);
  if (!listener) return; // already ended, or not ours
  if (frame.t === 'end') streamListeners.delete(frame.id);
  listener(frame);
});

const bridge: PreloadBridge = {
  request: (route, input) => ipcRenderer.invoke(IPC_CHANNELS.request, route, input),

  stream(route, input, onFrame) {
    nextId += 1;
    const id = `${idPrefix}-${nextId}`;
    streamListeners.set(id, onFrame);
    ipcRenderer.send(IPC_CHANNELS.stream, id, route, input);
    let aborted = false;
    // Frames keep flowing after an abort until main's `end`: the host ends the stream
    // itself, often with the final usage, as over the WebSocket transport.
    return () => {
      if (aborted || !streamListeners.has(id)) return;
      aborted = true;
      ipcRenderer.send(IPC_CHANNELS.abort, id);
    };
  },

  on(event, listener) {
    let listeners = eventListeners.get(event);
    if (!listeners) eventListeners.set(event, (listeners = new Set()));
    // a wrapper, so the same function subscribed twice unsubscribes independently
    const wrapped = (data: unknown) => listener(data);
    listeners.add(wrapped);
    return () => {
      listeners.delete(wrapped);
    };
  },

  // For "drop a .gguf onto the window": the page sees a File, main needs its path.
  filePath: (file) => webUtils.getPathForFile(file as Parameters<typeof webUtils.getPathForFile>[0]),
};

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, bridge);
