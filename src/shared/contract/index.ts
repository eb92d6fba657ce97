import { chatContract } from './chat';
import { conversationsContract } from './conversations';
import { healthContract } from './health';
import { modelsContract } from './models';
import { providersContract } from './providers';
import { usageContract } from './usage';

export const contract = {
  ...chatContract,
  ...conversationsContract,
  ...modelsContract,
  ...providersContract,
  ...usageContract,
  ...healthContract,
} as const;

export type Contract = typeof contract;
export type RouteName = keyof Contract & string;

export * from './route';
export * from './wire';
export * from './chat';
export * from './providers';
export * from './health';
export * from './handlers';
export * from './bridge';
