import { type ContractError } from '../../shared/contract';
import { type Dispatcher, type StreamHandle } from './dispatcher';

export interface StreamReceiver {
  /** Delivers one chunk; awaited, so a transport can apply backpressure. */
  sendChunk(data: unknown): void | Promise<void>;
  /** False once the receiver is gone (socket closed, window destroyed). */
  isOpen(): boolean;
}

/**
 * Runs an opened stream to its end for one transport: every chunk to the receiver, stopping the
 * handler as soon as the receiver is gone. Resolves with the error the end frame carries, if any.
 * Never rejects.
 */
export async function pumpStream(
  handle: StreamHandle,
  receiver: StreamReceiver,
  dispatcher: Pick<Dispatcher, 'streamError'>,
): Promise<ContractError | undefined> {
  try {
    for await (const data of handle.chunks) {
      if (!receiver.isOpen()) {
        handle.abort();
        return undefined;
      }
      await receiver.sendChunk(data);
    }
    return undefined;
  } catch (error) {
    return dispatcher.streamError(error);
  }
}
