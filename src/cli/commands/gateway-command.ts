import type { Command } from 'commander';
import { z } from 'zod';
import { GatewayTokenError, openGatewayTokens } from '../../core/gateway/gateway-tokens';
import { CliError, EXIT } from '../cli-error';
import type { CliIo } from '../cli-io';
import { formatTable } from '../format-table';
import { dataDirFlag, intFlag, parseOptions, withDataDir } from '../options';

const listSchema = z.object({ json: z.boolean().default(false), dataDir: dataDirFlag });
const nameSchema = z.object({ json: z.boolean().default(false), dataDir: dataDirFlag });

/** `switchboard gateway tokens create|list|revoke`: the named tokens clients use to call the gateway. */
export function registerGatewayCommand(program: Command, io: CliIo): void {
  const gateway = program.command('gateway').description('the OpenAI- and Anthropic-compatible HTTP API (switchboard serve --gateway)');
  const tokens = gateway.command('tokens').description('named bearer tokens; a token\'s name is the client recorded on its calls');

  const create = tokens
    .command('create')
    .description('make a token; its secret is shown once, only its hash is kept')
    .argument('<name>', 'who will use it, e.g. editor or my-agent (recorded as the client of its calls)')
    .option('--json', 'print { name, token, hint, createdAt } as JSON');
  withDataDir(create).action(async (name: string, flags: Record<string, unknown>) => {
    const options = parseOptions(create, nameSchema, flags);
    const { token, info } = guard(() => openGatewayTokens(options.dataDir).create(name));
    if (options.json) {
      await io.out(`${JSON.stringify({ ...info, token }, null, 2)}\n`);
      return;
    }
    await io.out(`${token}\n`);
    io.err(`token "${info.name}" created. Copy it now: it is not shown again (only its hash is kept).\n`);
  });

  const list = tokens.command('list').description('token names, hints and creation dates (never the secrets)').option('--json', 'print the list as JSON');
  withDataDir(list).action(async (flags: Record<string, unknown>) => {
    const options = parseOptions(list, listSchema, flags);
    const infos = guard(() => openGatewayTokens(options.dataDir).list());
    if (options.json) {
      await io.out(`${JSON.stringify(infos, null, 2)}\n`);
      return;
    }
    if (infos.length === 0) {
      await io.out('no gateway tokens; make one with: switchboard gateway tokens create NAME\n');
      return;
    }
    await io.out(formatTable(['NAME', 'HINT', 'CREATED'], infos.map((t) => [t.name, t.hint, new Date(t.createdAt).toISOString()])));
  });

  const revoke = tokens.command('revoke').description('revoke a token at once (a running gateway refuses it from its next request)').argument('<name>', 'the token\'s name');
  withDataDir(revoke).action(async (name: string, flags: Record<string, unknown>) => {
    const options = parseOptions(revoke, nameSchema, flags);
    const removed = guard(() => openGatewayTokens(options.dataDir).revoke(name));
    if (!removed) throw new CliError(`no gateway token named "${name}"; see them with: switchboard gateway tokens list`);
    await io.out(`revoked "${name}"\n`);
  });
}

function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof GatewayTokenError) throw new CliError(error.message, error.code === 'INVALID_NAME' ? EXIT.usage : EXIT.failed);
    throw error;
  }
}

/** `serve`'s gateway flags. */
export function withGatewayFlags(command: Command): Command {
  return command
    .option('--gateway', 'also serve the OpenAI/Anthropic-compatible API (default: gateway.enabled in switchboard.yaml)')
    .option('--no-gateway', 'do not serve it even when the config enables it')
    .option('--gateway-port <n>', 'its port; 0 picks a free one (default: gateway.port, else 5178)')
    .option('--gateway-host <host>', 'its bind address (default 127.0.0.1); anything else exposes it to the network');
}

export const gatewayFlagsSchema = {
  gateway: z.boolean().optional(),
  gatewayPort: intFlag(0, 65535).optional(),
  gatewayHost: z.string().min(1, 'expected an address such as 127.0.0.1').optional(),
};
