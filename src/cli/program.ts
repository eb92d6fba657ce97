import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { z } from 'zod';
import type { CliIo } from './cli-io';
import { registerChatCommand } from './commands/chat-command';
import { registerEngineCommand } from './commands/engine-command';
import { registerGatewayCommand } from './commands/gateway-command';
import { registerHealthCommand } from './commands/health-command';
import { registerMakeTestModelCommand } from './commands/make-test-model-command';
import { registerModelDownloadCommands } from './commands/model-downloads-command';
import { registerModelsCommand } from './commands/models-command';
import { registerProvidersCommand } from './commands/providers-command';
import { registerServeCommand } from './commands/serve-command';
import { registerUsageCommand } from './commands/usage-command';

/** The `switchboard` command tree. Parse errors throw (exitOverride) so run-cli picks the exit code. */
export function createProgram(io: CliIo): Command {
  const program = new Command('switchboard')
    .description('Route AI requests between local GGUF models and cloud providers.')
    .version(packageVersion(), '-v, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => void io.out(text),
      writeErr: (text) => io.err(text),
    })
    .showHelpAfterError('(add --help for usage)')
    .allowExcessArguments(false);
  // Settings above are copied to each subcommand as it is created, so they come first.
  registerServeCommand(program, io);
  registerChatCommand(program, io);
  registerUsageCommand(program, io);
  registerModelsCommand(program, io);
  registerModelDownloadCommands(program, io);
  registerProvidersCommand(program, io);
  registerHealthCommand(program, io);
  registerEngineCommand(program, io);
  registerMakeTestModelCommand(program, io);
  registerGatewayCommand(program, io);
  return program;
}

function packageVersion(): string {
  const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  return z.object({ version: z.string() }).parse(JSON.parse(text)).version;
}
