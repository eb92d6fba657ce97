export { openStore, type Store, type StoreDiagnostics, type StoreOptions } from './open-store';
export type { CallEnd, CallInterruption, CallRecord, CallStart, CallsRepository, TimeRange } from './calls-repository';
export type { ConversationsRepository, NewConversation } from './conversations-repository';
export type { MessagesRepository, MessageUpdate, NewMessage } from './messages-repository';
export type { DownloadsRepository, DownloadUpdate, StoredDownload } from './downloads-repository';
export { MIGRATIONS, type Migration } from './migrations';
export type { SpendQueries, SpendScope } from './spend-queries';
export type { CachedResponse, ResponseCacheRepository } from './response-cache-repository';
export type { CallCounts, ConversationCost, DashboardAggregates, DashboardQuery, ExportRow, LatencyHistogram, SeriesPoint, DeploymentTotals, TokenKinds, UsageQueries } from './usage-queries';
