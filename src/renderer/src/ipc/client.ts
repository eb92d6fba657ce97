import type {
  ChunkOf,
  Contract,
  InputOf,
  OutputOf,
  RequestRouteName,
  Result,
  StreamRouteName,
} from '../../../shared/contract';
import { ContractCallError } from './contract-errors';
import { createStreamQueue } from './stream-queue';
import type { ConnectionState, Transport } from './transport';

export type RequestRoute = RequestRouteName<Contract>;
export type StreamRoute = StreamRouteName<Contract>;

/** A running stream: read it with `for await`; `abort()` asks the host to stop it. */
export interface ContractStream<T> extends AsyncIterable<T> {
  abort(): void;
  readonly aborted: boolean;
}

export interface ContractClient {
  readonly transport: Transport['kind'];
  request<R extends RequestRoute>(route: R, input: InputOf<Contract[R]>): Promise<Result<OutputOf<Contract[R]>>>;
  /** Iterating throws a ContractCallError when the stream ends with an error (never after an abort). */
  stream<R extends StreamRoute>(route: R, input: InputOf<Contract[R]>): ContractStream<ChunkOf<Contract[R]>>;
  on(event: string, listener: (data: unknown) => void): () => void;
  onConnection(listener: (state: ConnectionState) => void): () => void;
}

export interface ClientOptions {
  /**
   * After `abort()`, how long to keep reading for the host's own end (it may still send the
   * final usage) before ending locally. Keeps Stop responsive when the host is gone.
   */
  abortGraceMs?: number;
}

/**
 * The typed contract client. Types come from the contract with `import type` only, so no zod
 * reaches the renderer bundle; outputs are trusted as the host validated them before sending.
 */
export function createClient(transport: Transport, options: ClientOptions = {}): ContractClient {
  const abortGraceMs = options.abortGraceMs ?? 3000;

  return {
    transport: transport.kind,

    request(route, input) {
      return transport.request(route, input) as Promise<Result<never>>;
    },

    stream<R extends StreamRoute>(route: R, input: InputOf<Contract[R]>) {
      type Chunk = ChunkOf<Contract[R]>;
      let aborted = false;
      let graceTimer: ReturnType<typeof setTimeout> | undefined;
      let stop: () => void = () => {};

      const finish = (error?: ContractCallError) => {
        if (graceTimer !== undefined) clearTimeout(graceTimer);
        queue.end(error);
      };
      const abort = () => {
        if (aborted || queue.ended) return;
        aborted = true;
        stop();
        graceTimer = setTimeout(() => finish(), abortGraceMs);
      };
      // the reader stopped early (break): tell the host, nobody waits for its end
      const queue = createStreamQueue<Chunk>(() => {
        if (aborted) return;
        aborted = true;
        stop();
      });

      stop = transport.stream(route, input, (frame) => {
        if (frame.t === 'chunk') {
          queue.push(frame.data as Chunk);
        } else if (frame.error && !aborted) {
          finish(new ContractCallError(frame.error));
        } else {
          // after an abort the host's end (often an ABORTED error) is the expected outcome
          finish();
        }
      });

      return {
        abort,
        get aborted() {
          return aborted;
        },
        [Symbol.asyncIterator]: () => queue[Symbol.asyncIterator](),
      };
    },

    on: (event, listener) => transport.on(event, listener),
    onConnection: (listener) => transport.onConnection(listener),
  };
}
