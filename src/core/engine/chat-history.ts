import type { ChatHistoryItem } from 'node-llama-cpp';
import { messageText, type Message } from '../../shared/llm';

/**
 * Our messages → node-llama-cpp's chat history, ending with an empty model turn for LlamaChat
 * to complete. Images and tool calls have no place in a plain chat template; the local
 * provider warns about them before they get here, and only their text survives.
 */
export function toChatHistory(system: string | undefined, messages: readonly Message[]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = [];
  if (system !== undefined && system !== '') history.push({ type: 'system', text: system });
  for (const message of messages) {
    switch (message.role) {
      case 'user':
        history.push({ type: 'user', text: messageText(message) });
        break;
      case 'assistant':
        history.push({ type: 'model', response: [messageText(message)] });
        break;
      case 'tool':
        history.push({
          type: 'user',
          text: message.content.map((r) => `Result of ${r.toolName}: ${JSON.stringify(r.output)}`).join('\n'),
        });
        break;
    }
  }
  history.push({ type: 'model', response: [] });
  return history;
}
