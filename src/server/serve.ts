import { createCore } from '../core/app';
import type { Log } from '../core/services';
import { ensureRendererBuild } from './renderer-build';
import { type RunningServer, startServer } from './start-server';

export interface ServeOptions {
  dataDir: string;
  /** 0 picks a free port. */
  port: number;
  host?: string;
  rendererDir?: string;
  /** Gets exactly one line: the URL to open. */
  stdout: (line: string) => void;
  /** Notes and warnings. */
  stderr: (line: string) => void;
  /** Resolves when the server should stop. Defaults to the first SIGINT or SIGTERM. */
  until?: Promise<unknown>;
}

/** `switchboard serve`: core + renderer + contract socket until a signal, then a clean shutdown. */
export async function runServe(options: ServeOptions): Promise<void> {
  const rendererDir = await ensureRendererBuild({ rendererDir: options.rendererDir, log: options.stderr });
  const log: Log = (level, message) => options.stderr(`switchboard: ${level}: ${message}`);
  const core = await createCore({ dataDir: options.dataDir, log, warmEngine: true });
  let server: RunningServer;
  try {
    server = await startServer({ dispatcher: core.dispatcher, rendererDir, host: options.host, port: options.port, events: core.onEvent });
  } catch (error) {
    await core.dispose();
    throw explainListenError(error, options.port);
  }
  options.stdout(`Switchboard listening on ${server.pageUrl}`);
  try {
    await (options.until ?? nextSignal());
  } finally {
    await server.close();
    await core.dispose();
  }
}

/** The first SIGINT/SIGTERM ends the wait; a second one while shutting down exits at once. */
function nextSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      const force = () => process.exit(1);
      process.once('SIGINT', force);
      process.once('SIGTERM', force);
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

function explainListenError(error: unknown, port: number): Error {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE') {
    return new Error(`port ${port} is already in use. Pick another with --port N, or --port 0 for any free port.`);
  }
  if (code === 'EACCES') {
    return new Error(`not allowed to listen on port ${port}. Use a port above 1023, or --port 0 for any free port.`);
  }
  return error instanceof Error ? error : new Error(String(error));
}
