export { createChatService, type ChatSendInput, type ChatService, type ChatServiceDeps, type RemoteModel, INTERRUPTED_ERROR } from './chat-service';
export { createConversationsService, type ConversationsService } from './conversations-service';
export { createModelsService, type ModelsService, type ModelsServiceDeps } from './models-service';
export { createHealthService, type HealthService, type HealthServiceDeps } from './health-service';
export { createUsageService, type UsageService } from './usage-service';
export { type Log, type LogLevel, silentLog } from './log';
export { createProvidersService, toContractFailure, type ProvidersService, type ProvidersServiceDeps } from './providers-service';
