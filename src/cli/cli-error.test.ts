import { describe, expect, it } from 'vitest';
import { CliError, EXIT, fromContractError } from './cli-error';

describe('fromContractError', () => {
  it('adds the hint for its code as a second sentence, with one period between', () => {
    const hints = { NOT_FOUND: 'See the models with: switchboard models list' };
    expect(fromContractError({ code: 'NOT_FOUND', message: 'There is no local model local/x.' }, hints).message).toBe(
      'There is no local model local/x. See the models with: switchboard models list',
    );
    expect(fromContractError({ code: 'NOT_FOUND', message: 'no provider "x"' }, hints).message).toBe('no provider "x". See the models with: switchboard models list');
  });

  it('keeps the message as it is without a hint for its code, as a failure (exit 1)', () => {
    const error = fromContractError({ code: 'UNAVAILABLE', message: 'busy' }, { NOT_FOUND: 'x' });
    expect(error).toBeInstanceOf(CliError);
    expect(error.message).toBe('busy');
    expect(error.exitCode).toBe(EXIT.failed);
  });
});
