import { chatContract } from './chat';
import { conversationsContract } from './conversations';
import { modelsContract } from './models';
import { usageContract } from './usage';

export const contract = {
  ...chatContract,
  ...conversationsContract,
  ...modelsContract,
  ...usageContract,
} as const;

export type Contract = typeof contract;
export type RouteName = keyof Contract & string;

export * from './route';
export * from './wire';
export * from './chat';
export * from './handlers';
export * from './bridge';
