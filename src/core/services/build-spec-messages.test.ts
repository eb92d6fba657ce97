import { describe, expect, it } from 'vitest';
import { type ChatMessage } from '../../shared/domain';
import { buildSpecMessages } from './build-spec-messages';

const message = (id: string, role: ChatMessage['role'], text: string, status: ChatMessage['status'] = 'complete'): ChatMessage => ({
  id, conversationId: 'c', role, text, model: null, status, createdAt: 0, usage: null, error: null, latencyMs: null, ttftMs: null,
});

describe('buildSpecMessages', () => {
  it('keeps the dialogue, drops failed and empty replies, and adds images to the current message only', () => {
    const image = { type: 'image' as const, mediaType: 'image/png', data: 'AAAA' };
    const messages = buildSpecMessages(
      [
        message('u1', 'user', 'hello'),
        message('a1', 'assistant', 'hi there'),
        message('u2', 'user', 'and?'),
        message('a2', 'assistant', 'partial', 'error'),
        message('u3', 'user', 'again'),
        message('a3', 'assistant', 'cut short', 'aborted'),
        message('a4', 'assistant', '', 'aborted'),
        message('u4', 'user', 'look'),
      ],
      { messageId: 'u4', images: [image] },
    );
    expect(messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'hello' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'hi there' }] },
      { role: 'user', content: [{ type: 'text', text: 'and?' }] },
      { role: 'user', content: [{ type: 'text', text: 'again' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'cut short' }] },
      { role: 'user', content: [{ type: 'text', text: 'look' }, image] },
    ]);
  });
});
