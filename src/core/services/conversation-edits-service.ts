import { type ConversationSearchHit } from '../../shared/contract';
import { type MessageRoute } from '../../shared/domain';
import { ContractFailure } from '../api/contract-failure';
import { type Store } from '../store';
import { messageRoute } from './message-route';

export interface ConversationEditsService {
  search(query: string, limit: number): ConversationSearchHit[];
  /** Deletes `fromMessageId` and every later message of the conversation; refused while a reply streams. */
  truncate(conversationId: string, fromMessageId: string): { deleted: number };
  /** One message's route (from its request's calls rows); null without a request; NOT_FOUND for no message. */
  route(messageId: string): MessageRoute | null;
}

/** Characters of context kept either side of a match in a snippet. */
const SNIPPET_CONTEXT = 48;

/** An excerpt of `text` around the first case-insensitive occurrence of `query`, on one line. */
export function snippetAround(text: string, query: string, context = SNIPPET_CONTEXT): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const at = flat.toLowerCase().indexOf(query.toLowerCase().replace(/\s+/g, ' '));
  if (at < 0) return flat.length > context * 2 ? `${flat.slice(0, context * 2)}…` : flat;
  const start = Math.max(0, at - context);
  const end = Math.min(flat.length, at + query.length + context);
  return `${start > 0 ? '…' : ''}${flat.slice(start, end)}${end < flat.length ? '…' : ''}`;
}

export interface ConversationEditsOptions {
  /**
   * Called after a truncation with the attachment ids the deleted messages referred to (never
   * empty), in the same tick as the delete, so the attachment sweep can hold them before anything
   * else runs. A resend of the same images usually follows.
   */
  releaseAttachments?: (ids: readonly string[]) => void;
}

export function createConversationEditsService(store: Store, options: ConversationEditsOptions = {}): ConversationEditsService {
  return {
    search(query, limit) {
      return store.conversations.search(query, limit).map(({ conversation, matchedText }) => ({
        conversation,
        snippet: matchedText === null ? null : snippetAround(matchedText, query),
      }));
    },
    route(messageId) {
      return store.transaction(() => {
        const message = store.messages.get(messageId);
        if (message === undefined) throw new ContractFailure('NOT_FOUND', `no message "${messageId}"`);
        return message.requestId === undefined ? null : messageRoute(message.requestId, store.calls.listByRequest(message.requestId));
      });
    },
    truncate(conversationId, fromMessageId) {
      const { deleted, released } = store.transaction(() => {
        if (store.conversations.get(conversationId) === undefined) throw new ContractFailure('NOT_FOUND', `no conversation "${conversationId}"`);
        const messages = store.messages.listByConversation(conversationId);
        if (!messages.some((m) => m.id === fromMessageId)) {
          throw new ContractFailure('NOT_FOUND', `no message "${fromMessageId}" in conversation "${conversationId}"`);
        }
        if (messages.some((m) => m.status === 'streaming')) {
          throw new ContractFailure('CONFLICT', 'a reply is still being written in this conversation; stop it or wait');
        }
        const released = store.messages.attachmentIdsFrom(conversationId, fromMessageId);
        return { deleted: store.messages.deleteFrom(conversationId, fromMessageId), released };
      });
      if (released.length > 0) options.releaseAttachments?.(released);
      return { deleted };
    },
  };
}
