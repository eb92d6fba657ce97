import type { ContractError } from '../../../shared/contract';

/** Thrown by a stream's iterator when the stream ends with an error (the only place the client throws). */
export class ContractCallError extends Error {
  override readonly name = 'ContractCallError';
  constructor(readonly error: ContractError) {
    super(error.message);
  }
}

export function unavailable(message: string): ContractError {
  return { code: 'UNAVAILABLE', message };
}
