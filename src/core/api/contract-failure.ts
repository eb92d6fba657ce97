import type { ErrorCode } from '../../shared/contract';

/** Thrown by handlers for expected failures; the dispatcher turns it into `{ ok: false }`. */
export class ContractFailure extends Error {
  override readonly name = 'ContractFailure';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
}
