import { assistantsContract } from './assistants';
import { attachmentsContract } from './attachments';
import { budgetsContract } from './budgets';
import { routingContract } from './routing';
import { chatContract } from './chat';
import { compareContract } from './compare';
import { conversationEditsContract } from './conversation-edits';
import { conversationsContract } from './conversations';
import { downloadsContract, modelFilesContract } from './downloads';
import { engineContract } from './engine';
import { gatewayContract } from './gateway';
import { healthContract } from './health';
import { hubContract } from './hub';
import { modelsContract } from './models';
import { providersContract } from './providers';
import { settingsContract } from './settings';
import { usageContract } from './usage';

export const contract = {
  ...chatContract,
  ...compareContract,
  ...attachmentsContract,
  ...conversationsContract,
  ...conversationEditsContract,
  ...modelsContract,
  ...modelFilesContract,
  ...hubContract,
  ...downloadsContract,
  ...providersContract,
  ...settingsContract,
  ...usageContract,
  ...healthContract,
  ...budgetsContract,
  ...routingContract,
  ...engineContract,
  ...gatewayContract,
  ...assistantsContract,
} as const;

export type Contract = typeof contract;
export type RouteName = keyof Contract & string;

export * from './route';
export * from './wire';
export * from './chat';
export * from './compare';
export * from './conversation-edits';
export * from './providers';
export * from './settings';
export * from './health';
export * from './usage';
export * from './budgets';
export * from './routing';
export * from './hub';
export * from './downloads';
export * from './engine';
export * from './gateway';
export * from './assistants';
export * from './handlers';
export * from './bridge';
