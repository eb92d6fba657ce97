import type { ContractError } from '../shared/contract';

/** Exit codes: 1 a command failed, 2 it was called wrongly, 130 interrupted by Ctrl-C (the shell convention). */
export const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

/** An expected failure: its message is shown as is (it says what is wrong and how to fix it), no stack. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failed,
  ) {
    super(message);
  }
}

/** A contract error as a CLI error, with a hint for the codes a user can act on. */
export function fromContractError(error: ContractError, hints: Partial<Record<ContractError['code'], string>> = {}): CliError {
  const hint = hints[error.code];
  if (hint === undefined) return new CliError(error.message);
  // Messages that end a sentence already (`There is no local model local/x.`) get no second period.
  return new CliError(`${error.message}${/[.!?]$/.test(error.message) ? '' : '.'} ${hint}`);
}
