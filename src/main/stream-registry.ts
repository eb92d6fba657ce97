import type { Dispatcher } from '../core/api/dispatcher';
import { pumpStream } from '../core/api/pump-stream';
import type { ContractError, ServerFrame } from '../shared/contract';

/** Where a stream's frames go: one webContents, seen through the little we need of it. */
export interface FrameSink {
  readonly id: number;
  send(frame: ServerFrame): void;
  isDestroyed(): boolean;
}

export interface StreamRegistry {
  /** Opens stream `id` for `sink`; its chunks and its one `end` are sent to that sink only. */
  start(sink: FrameSink, id: unknown, route: unknown, input: unknown): void;
  /** The caller's abort. Unknown ids are ignored (the stream may have just ended). */
  abort(sinkId: number, id: unknown): boolean;
  /** Aborts every stream of a sink: its page went away. */
  abortAll(sinkId: number): number;
  /** Streams running, for one sink or all. */
  size(sinkId?: number): number;
}

const MAX_ID_LENGTH = 64;
const isStreamId = (id: unknown): id is string => typeof id === 'string' && id.length > 0 && id.length <= MAX_ID_LENGTH;

/**
 * Routes dispatcher streams to IPC frames: `chunk` per chunk, then exactly one `end`
 * (with `error` when the stream failed to open or failed midway). Streams are keyed by
 * (sink, id), so two windows can use the same ids. No Electron here: the sink is injected.
 */
export function createStreamRegistry(
  dispatcher: Pick<Dispatcher, 'stream' | 'streamError'>,
  options: { origin?: string; onSendError?: (error: unknown) => void } = {},
): StreamRegistry {
  const origin = options.origin ?? 'ipc';
  const bySink = new Map<number, Map<string, { abort(): void }>>();

  const send = (sink: FrameSink, frame: ServerFrame) => {
    if (sink.isDestroyed()) return;
    try {
      sink.send(frame);
    } catch (error) {
      // a webContents can go between the check and the send; the stream is aborted on 'destroyed'
      options.onSendError?.(error);
    }
  };
  const end = (sink: FrameSink, id: string, error?: ContractError) =>
    send(sink, error === undefined ? { t: 'end', id } : { t: 'end', id, error });

  const streamsOf = (sinkId: number) => {
    let streams = bySink.get(sinkId);
    if (!streams) bySink.set(sinkId, (streams = new Map()));
    return streams;
  };
  const forget = (sinkId: number, id: string, entry: object) => {
    const streams = bySink.get(sinkId);
    if (streams?.get(id) !== entry) return;
    streams.delete(id);
    if (streams.size === 0) bySink.delete(sinkId);
  };

  return {
    start(sink, id, route, input) {
      if (!isStreamId(id)) return; // nowhere to answer: the preload always sends a valid id
      if (typeof route !== 'string') {
        end(sink, id, { code: 'VALIDATION_FAILED', message: 'route must be a string' });
        return;
      }
      const streams = streamsOf(sink.id);
      if (streams.has(id)) {
        end(sink, id, { code: 'CONFLICT', message: `stream ${id} is already running` });
        return;
      }
      const opened = dispatcher.stream(route, input, origin);
      if (!opened.ok) {
        end(sink, id, opened.error);
        if (streams.size === 0) bySink.delete(sink.id);
        return;
      }
      const handle = opened.data;
      const entry = { abort: () => handle.abort() };
      streams.set(id, entry);
      void pumpStream(handle, { sendChunk: (data) => send(sink, { t: 'chunk', id, data }), isOpen: () => !sink.isDestroyed() }, dispatcher).then(
        (error) => {
          forget(sink.id, id, entry);
          end(sink, id, error);
        },
      );
    },

    abort(sinkId, id) {
      if (!isStreamId(id)) return false;
      const entry = bySink.get(sinkId)?.get(id);
      if (!entry) return false;
      entry.abort();
      return true;
    },

    abortAll(sinkId) {
      const streams = bySink.get(sinkId);
      if (!streams) return 0;
      const count = streams.size;
      for (const entry of streams.values()) entry.abort();
      return count;
    },

    size(sinkId) {
      if (sinkId !== undefined) return bySink.get(sinkId)?.size ?? 0;
      let total = 0;
      for (const streams of bySink.values()) total += streams.size;
      return total;
    },
  };
}
