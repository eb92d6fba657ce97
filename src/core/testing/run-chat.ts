import { type ChatEvent, type ContractError } from '../../shared/contract';
import { type Dispatcher } from '../api/dispatcher';

export interface ChatRun {
  chunks: ChatEvent[];
  /** How the stream ended when it failed, as a transport would report it. */
  error: ContractError | undefined;
  start: Extract<ChatEvent, { type: 'chat-start' }> | undefined;
}

/**
 * Runs `chat.send` through the dispatcher to its end, as a transport would: for tests of the
 * composed core. `onChunk` sees each chunk and may abort the stream.
 */
export async function runChat(
  dispatcher: Dispatcher,
  input: unknown,
  onChunk?: (chunk: ChatEvent, abort: () => void) => void,
): Promise<ChatRun> {
  const opened = dispatcher.stream('chat.send', input, 'test');
  if (!opened.ok) return { chunks: [], error: opened.error, start: undefined };
  const chunks: ChatEvent[] = [];
  let error: ContractError | undefined;
  try {
    for await (const chunk of opened.data.chunks) {
      chunks.push(chunk as ChatEvent);
      onChunk?.(chunk as ChatEvent, opened.data.abort);
    }
  } catch (thrown) {
    error = dispatcher.streamError(thrown);
  }
  const start = chunks.find((e): e is Extract<ChatEvent, { type: 'chat-start' }> => e.type === 'chat-start');
  return { chunks, error, start };
}
