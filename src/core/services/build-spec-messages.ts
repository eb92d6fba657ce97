import { type ChatMessage } from '../../shared/domain';
import { type ImagePart, type Message } from '../../shared/llm';

/**
 * The model-spec history for a conversation. Assistant replies that failed or
 * produced nothing are left out: they were never part of the dialogue the user saw
 * completed. Images ride only on the message being sent (history keeps text).
 */
export function buildSpecMessages(
  history: readonly ChatMessage[],
  current: { messageId: string; images?: readonly ImagePart[] | undefined },
): Message[] {
  const messages: Message[] = [];
  for (const m of history) {
    if (m.role === 'user') {
      const images = m.id === current.messageId ? (current.images ?? []) : [];
      messages.push({ role: 'user', content: [{ type: 'text', text: m.text }, ...images] });
    } else if ((m.status === 'complete' || m.status === 'aborted') && m.text !== '') {
      messages.push({ role: 'assistant', content: [{ type: 'text', text: m.text }] });
    }
  }
  return messages;
}
