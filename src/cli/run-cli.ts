import { CommanderError } from 'commander';
import { CliError, EXIT } from './cli-error';
import type { CliIo } from './cli-io';
import { createProgram } from './program';

/** Runs one CLI invocation and returns its exit code; never throws. */
export async function runCli(args: readonly string[], io: CliIo): Promise<number> {
  const program = createProgram(io);
  try {
    await program.parseAsync([...args], { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    return reportError(error, io);
  }
}

function reportError(error: unknown, io: CliIo): number {
  if (error instanceof CommanderError) {
    // Commander has already printed its message (and the help hint); help and --version exit 0.
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (error instanceof CliError) {
    io.err(`switchboard: ${error.message}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.err(`switchboard: ${message}\n`);
  if (process.env.SWITCHBOARD_DEBUG && error instanceof Error && error.stack) io.err(`${error.stack}\n`);
  return EXIT.failed;
}
