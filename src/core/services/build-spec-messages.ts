import { type AttachmentRef, type ChatMessage } from '../../shared/domain';
import { type ImagePart, type Message } from '../../shared/llm';

/**
 * The model-spec history for a conversation. Assistant replies that failed or
 * produced nothing are left out: they were never part of the dialogue the user saw
 * completed. Stored attachments ride on the user message that carried them, every
 * time the history is sent (`attached`, by message id: see loadAttachedImages);
 * `current.images` (inline images of chat.send) only on the message being sent.
 */
export function buildSpecMessages(
  history: readonly ChatMessage[],
  current: { messageId: string; images?: readonly ImagePart[] | undefined },
  attached: ReadonlyMap<string, readonly ImagePart[]> = new Map(),
): Message[] {
  const messages: Message[] = [];
  for (const m of history) {
    if (m.role === 'user') {
      const images = [...(attached.get(m.id) ?? []), ...(m.id === current.messageId ? (current.images ?? []) : [])];
      messages.push({ role: 'user', content: [{ type: 'text', text: m.text }, ...images] });
    } else if ((m.status === 'complete' || m.status === 'aborted') && m.text !== '') {
      messages.push({ role: 'assistant', content: [{ type: 'text', text: m.text }] });
    }
  }
  return messages;
}

/** Reads the images the history's user messages refer to, as base64 image parts by message id. */
export async function loadAttachedImages(
  history: readonly ChatMessage[],
  load: (ref: AttachmentRef) => Promise<ImagePart>,
): Promise<Map<string, ImagePart[]>> {
  const attached = new Map<string, ImagePart[]>();
  for (const m of history) {
    if (m.role !== 'user' || m.attachments === undefined || m.attachments.length === 0) continue;
    attached.set(m.id, await Promise.all(m.attachments.map(load)));
  }
  return attached;
}
