import type { ContractError } from '../../../shared/contract';

/** Where a fetched list stands. `error` keeps the last data visible while saying what failed. */
export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';

export function describeError(error: ContractError): string {
  return error.message.trim() === '' ? error.code : error.message;
}
