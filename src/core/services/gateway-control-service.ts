import { HOST_EVENTS } from '../../shared/contract';
import type { GatewayStatus } from '../../shared/contract/gateway';
import { ContractFailure } from '../api/contract-failure';
import { ConfigEditError, type SwitchboardConfig, editConfigFile } from '../config';
import { GATEWAY_DEFAULTS, exposedBindWarning } from '../gateway';
import type { Log } from './log';

type GatewayConfig = SwitchboardConfig['gateway'];

/** What a host's flags say, over the config's `gateway:` section (`serve --gateway --gateway-port N`). */
export interface GatewayHostFlags {
  enabled?: boolean | undefined;
  port?: number | undefined;
  host?: string | undefined;
}

/** The listening gateway, as `startGateway` gives it. */
export interface ListeningGateway {
  baseURL: string;
  host: string;
  port: number;
  close(): Promise<void>;
}

export interface GatewayControlDeps {
  /** The config's `gateway:` section in force. */
  config: () => GatewayConfig;
  /** Starts the gateway on the core; the rest of its settings come from the config in force. */
  start: (where: { host: string; port: number }) => Promise<ListeningGateway>;
  /** switchboard.yaml, edited with `editConfigFile` (validated, atomic, comments kept), then reloaded. */
  configPath: string;
  env: Readonly<Record<string, string | undefined>>;
  reloadConfig: () => Promise<void>;
  emit: (name: string, data: unknown) => void;
  log: Log;
}

/**
 * The one switch for the HTTP gateway, shared by the settings page, the tray and the host's flags.
 * A host calls `host(flags)` to run it (serve, the Electron app; the one-shot CLI never does).
 * It then follows the config: an edit of the `gateway:` section (by hand or by `enable`) starts,
 * stops or restarts it, and that edit wins over the host's `enabled` flag. One change at a time;
 * every change is announced as `gateway.changed`.
 */
export interface GatewayControl {
  host(flags?: GatewayHostFlags): Promise<GatewayStatus>;
  status(): GatewayStatus;
  /** Writes `gateway.enabled` and applies it; resolves with the status once started or stopped. */
  enable(enabled: boolean): Promise<GatewayStatus>;
  /** The core calls this on every config reload. */
  configChanged(): void;
  /** The tray's view: running now, and the same switch as `enable`. */
  running(): boolean;
  setRunning(run: boolean): Promise<void>;
  /** Stops it for good (before the core closes its store). */
  close(): Promise<void>;
}

type Failure = { state: 'port-in-use' | 'failed'; message: string };

export function createGatewayControl(deps: GatewayControlDeps): GatewayControl {
  let hosted = false;
  let closed = false;
  let flags: GatewayHostFlags = {};
  let running: { gateway: ListeningGateway; key: string } | null = null;
  let starting = false;
  let failure: Failure | null = null;
  let seenSection = sectionKey(deps.config());
  let queue: Promise<unknown> = Promise.resolve();

  const wanted = () => !closed && hosted && (flags.enabled ?? deps.config()?.enabled ?? false);
  const where = () => {
    const config = deps.config();
    return { host: flags.host ?? config?.host ?? GATEWAY_DEFAULTS.host, port: flags.port ?? config?.port ?? GATEWAY_DEFAULTS.port };
  };
  // Any change of the section (CORS, limits…) restarts a running gateway: it reads them at start.
  const settingsKey = () => JSON.stringify([where(), { ...deps.config(), enabled: undefined }]);

  const status = (): GatewayStatus => {
    const at = running === null ? where() : { host: running.gateway.host, port: running.gateway.port };
    const state = running !== null ? 'running' : starting ? 'starting' : wanted() && failure !== null ? failure.state : 'off';
    return {
      hosted,
      enabled: hosted ? wanted() : (deps.config()?.enabled ?? false),
      state,
      host: at.host,
      port: at.port,
      baseURL: running?.gateway.baseURL ?? null,
      message: state === 'port-in-use' || state === 'failed' ? (failure?.message ?? null) : null,
      warning: exposedBindWarning(at.host) ?? null,
    };
  };
  const announce = () => deps.emit(HOST_EVENTS.gatewayChanged, status());

  const apply = async () => {
    const key = settingsKey();
    if (running !== null && (!wanted() || running.key !== key)) {
      const stopping = running.gateway;
      running = null;
      try {
        await stopping.close();
        deps.log('info', 'gateway stopped');
      } catch (error) {
        deps.log('warn', `the gateway did not stop cleanly: ${messageOf(error)}`);
      }
      announce();
    }
    if (!wanted()) {
      failure = null;
      return;
    }
    if (running !== null) return;
    const at = where();
    starting = true;
    announce();
    try {
      const gateway = await deps.start(at);
      running = { gateway, key };
      failure = null;
      deps.log('info', `gateway listening on ${gateway.baseURL}`);
    } catch (error) {
      failure = describeStartFailure(error, at.port);
      deps.log('warn', `the gateway did not start: ${failure.message}`);
    } finally {
      starting = false;
    }
    // Turned off (or closed) while it was starting: the next turn of the queue stops it.
    if (running !== null && !wanted()) await apply();
    announce();
  };
  const enqueue = (): Promise<void> => {
    const next = queue.then(apply, apply);
    queue = next.catch(() => undefined);
    return next;
  };

  const enable = async (enabled: boolean): Promise<GatewayStatus> => {
    try {
      await editConfigFile(deps.configPath, (doc) => doc.setIn(['gateway', 'enabled'], enabled), { env: deps.env });
    } catch (error) {
      if (error instanceof ConfigEditError) throw new ContractFailure('VALIDATION_FAILED', error.message, { issues: error.issues });
      throw error;
    }
    await deps.reloadConfig();
    // The file is the user's latest word, over the host's --gateway / --no-gateway.
    flags = { ...flags, enabled: undefined };
    failure = null;
    await enqueue();
    return status();
  };

  return {
    async host(hostFlags = {}) {
      hosted = true;
      flags = hostFlags;
      await enqueue();
      return status();
    },
    status,
    enable,
    configChanged() {
      const section = sectionKey(deps.config());
      if (section === seenSection) return;
      seenSection = section;
      flags = { ...flags, enabled: undefined };
      failure = null;
      if (hosted) void enqueue();
    },
    running: () => running !== null,
    async setRunning(run) {
      const after = await enable(run);
      if (run && after.state !== 'running') throw new Error(after.message ?? 'the gateway did not start');
    },
    async close() {
      closed = true;
      await enqueue();
    },
  };
}

function sectionKey(config: GatewayConfig): string {
  return JSON.stringify(config ?? {});
}

function describeStartFailure(error: unknown, port: number): Failure {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE') {
    return { state: 'port-in-use', message: `port ${port} is in use by another program. Set another gateway.port in switchboard.yaml (0 picks a free one), or stop that program.` };
  }
  if (code === 'EACCES') return { state: 'failed', message: `not allowed to listen on port ${port}: use a port above 1023 (gateway.port).` };
  if (code === 'EADDRNOTAVAIL') return { state: 'failed', message: `this machine has no address to listen on for gateway.host: use 127.0.0.1.` };
  return { state: 'failed', message: messageOf(error) };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
