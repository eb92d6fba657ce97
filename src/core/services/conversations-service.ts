import { type ConversationDetail, type ConversationSummary } from '../../shared/domain';
import { ContractFailure } from '../api/contract-failure';
import { type Store } from '../store';
import { messageRoute } from './message-route';

export interface ConversationsService {
  /** Most recently active first. */
  list(limit: number): ConversationSummary[];
  /** A conversation with its messages in order; NOT_FOUND when there is none. */
  get(id: string): ConversationDetail;
}

export function createConversationsService(store: Store): ConversationsService {
  return {
    list: (limit) => store.conversations.list(limit),
    get(id) {
      // One read snapshot: the count and the messages agree even while a reply is written.
      return store.transaction(() => {
        const conversation = store.conversations.get(id);
        if (conversation === undefined) throw new ContractFailure('NOT_FOUND', `no conversation "${id}"`);
        // Each reply's route, from the calls rows of its request (indexed by request id).
        const messages = store.messages.listByConversation(id).map((m) =>
          m.requestId === undefined ? m : { ...m, route: messageRoute(m.requestId, store.calls.listByRequest(m.requestId)) },
        );
        return { conversation, messages };
      });
    },
  };
}
