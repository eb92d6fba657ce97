export { openStore, type Store, type StoreDiagnostics, type StoreOptions } from './open-store';
export type { CallEnd, CallInterruption, CallRecord, CallStart, CallsRepository, TimeRange } from './calls-repository';
export type { ConversationsRepository, NewConversation } from './conversations-repository';
export type { MessagesRepository, MessageUpdate, NewMessage } from './messages-repository';
export { MIGRATIONS, type Migration } from './migrations';
