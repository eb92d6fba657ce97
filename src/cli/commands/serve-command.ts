import { resolve } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import type { CliIo } from '../cli-io';
import { dataDirFlag, intFlag, parseOptions, withDataDir } from '../options';
import { gatewayFlagsSchema, withGatewayFlags } from './gateway-command';

export const DEFAULT_PORT = 5177;

const serveOptionsSchema = z.object({ port: intFlag(0, 65535), dataDir: dataDirFlag, ...gatewayFlagsSchema });

export function registerServeCommand(program: Command, io: CliIo): void {
  const command = program
    .command('serve')
    .description('run headless: the app in your browser at http://127.0.0.1:<port>/ (Ctrl-C stops it)')
    .option('--port <n>', 'port on 127.0.0.1; 0 picks a free one', String(DEFAULT_PORT));
  withGatewayFlags(command);
  withDataDir(command).action(async (flags: Record<string, unknown>) => {
    const options = parseOptions(command, serveOptionsSchema, flags);
    // Lazy: the server pulls in the whole core, which other commands may not need.
    const { runServe } = await import('../../server/serve');
    // Another renderer build to serve (tests, a custom UI); unset means the repo's out/renderer.
    const rendererEnv = process.env.SWITCHBOARD_RENDERER_DIR;
    await runServe({
      dataDir: options.dataDir,
      rendererDir: rendererEnv ? resolve(rendererEnv) : undefined,
      port: options.port,
      gateway: { enabled: options.gateway, port: options.gatewayPort, host: options.gatewayHost },
      stdout: (line) => void io.out(`${line}\n`),
      stderr: (line) => io.err(`${line}\n`),
    });
  });
}
