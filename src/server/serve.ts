import { createCore } from '../core/app';
import { openGatewayTokens } from '../core/gateway';
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
  /** The HTTP gateway; each field overrides the config's `gateway:` section (off unless enabled there or here). */
  gateway?: { enabled?: boolean | undefined; port?: number | undefined; host?: string | undefined };
}

/** `switchboard serve`: core + renderer + contract socket until a signal, then a clean shutdown. */
export async function runServe(options: ServeOptions): Promise<void> {
  const rendererDir = await ensureRendererBuild({ rendererDir: options.rendererDir, log: options.stderr });
  // Set when a failed start tears the core down: the engine warm-up it cuts short would warn
  // ("the engine did not start: …disposed…") after the reason that matters, and mislead.
  let abandoning = false;
  // While the gateway first starts, serve reports the outcome itself (its URL and routes, or the
  // reason it stops), so the core's one-line note of the same outcome would only repeat it.
  let reportingGatewayStart = false;
  const log: Log = (level, message) => {
    if (abandoning || (reportingGatewayStart && GATEWAY_OUTCOME.test(message))) return;
    options.stderr(`switchboard: ${level}: ${message}`);
  };
  const core = await createCore({ dataDir: options.dataDir, log, warmEngine: true });
  const abandon = async () => {
    abandoning = true;
    await core.dispose();
  };
  let server: RunningServer;
  try {
    server = await startServer({ dispatcher: core.dispatcher, rendererDir, host: options.host, port: options.port, events: core.onEvent });
  } catch (error) {
    await abandon();
    throw explainListenError(error, options.port);
  }
  // The gateway, on its own port (5178 by default) rather than under the UI's: the Electron app has no
  // HTTP server and runs it alone, so both hosts share one code path; and its security differs (long-lived
  // named tokens and optional CORS, against the UI's per-start token and CSP pages). Asked for at start
  // (the flag or gateway.enabled), it must start; later it follows the settings page and the file.
  reportingGatewayStart = true;
  const gateway = await core.gateway.host(options.gateway ?? {}).finally(() => (reportingGatewayStart = false));
  if (gateway.state === 'port-in-use' || gateway.state === 'failed') {
    await server.close();
    await abandon();
    throw new Error(`the gateway did not start: ${gateway.message ?? gateway.state}${options.gateway?.port !== undefined ? ' (--gateway-port N picks another port)' : ''}`);
  }
  if (gateway.state === 'running') {
    if (gateway.warning !== null) options.stderr(gateway.warning);
    options.stderr(`Switchboard gateway on ${gateway.baseURL ?? ''} (OpenAI: /chat/completions, /embeddings, /models; Anthropic: /messages)`);
    if (openGatewayTokens(core.dataDir).list().length === 0) {
      options.stderr('No gateway tokens yet, so every request is refused: make one in Settings or with `switchboard gateway tokens create NAME`.');
    }
  }
  options.stdout(`Switchboard listening on ${server.pageUrl}`);
  try {
    await (options.until ?? nextSignal());
  } finally {
    // core.dispose() stops the gateway first
    await server.close();
    await core.dispose();
  }
}

/** The core's notes of a gateway start (services/gateway-control-service.ts) that serve words itself. */
const GATEWAY_OUTCOME = /^(gateway listening on |the gateway did not start: )/;

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

function explainListenError(error: unknown, port: number, flag = '--port'): Error {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE') {
    return new Error(`port ${port} is already in use. Pick another with ${flag} N, or ${flag} 0 for any free port.`);
  }
  if (code === 'EACCES') {
    return new Error(`not allowed to listen on port ${port}. Use a port above 1023, or ${flag} 0 for any free port.`);
  }
  if (code === 'EADDRNOTAVAIL') {
    return new Error(`this machine has no address ${String((error as NodeJS.ErrnoException & { address?: string }).address ?? '')} to listen on.`);
  }
  return error instanceof Error ? error : new Error(String(error));
}
