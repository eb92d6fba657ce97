import { partsOf, withParts } from '../../shared/llm';
import type { Core } from '../app';
import { resolveAssistantModel } from '../services/assistants-apply';
import type { Log } from '../services/log';
import type { GatewayBackend, GatewayTarget } from './gateway-backend';
import { GATEWAY_DEFAULTS, type RunningGateway, startGatewayServer } from './gateway-server';
import { type GatewayTokens, openGatewayTokens } from './gateway-tokens';

/** What the gateway uses of the core. */
export type GatewayCore = Pick<Core, 'dataDir' | 'calls' | 'embeddings' | 'config'>;

export interface StartGatewayOptions {
  /** Each overrides the config's `gateway:` section. */
  host?: string;
  port?: number;
  allowedHosts?: readonly string[];
  corsOrigins?: readonly string[];
  maxBodyBytes?: number;
  maxConcurrency?: number;
  /** Default: `<dataDir>/gateway-tokens.json`. */
  tokens?: GatewayTokens;
  log?: Log;
}

/**
 * Starts the gateway over a core: every chat request goes through `core.calls` (routed, one
 * `calls` row per attempt, the token's name as `client`), embeddings through `core.embeddings`.
 * `switchboard serve` and the Electron main process both call this; `close()` stops it.
 */
export function startGateway(core: GatewayCore, options: StartGatewayOptions = {}): Promise<RunningGateway> {
  const config = core.config().gateway ?? {};
  return startGatewayServer({
    backend: coreBackend(core),
    tokens: options.tokens ?? openGatewayTokens(core.dataDir),
    host: options.host ?? config.host ?? GATEWAY_DEFAULTS.host,
    port: options.port ?? config.port ?? GATEWAY_DEFAULTS.port,
    allowedHosts: options.allowedHosts ?? config.allowedHosts ?? [],
    corsOrigins: options.corsOrigins ?? config.corsOrigins ?? [],
    maxBodyBytes: options.maxBodyBytes ?? config.maxBodyBytes ?? GATEWAY_DEFAULTS.maxBodyBytes,
    maxConcurrency: options.maxConcurrency ?? config.maxConcurrency ?? GATEWAY_DEFAULTS.maxConcurrency,
    ...(options.log !== undefined && { log: options.log }),
  });
}

export function coreBackend(core: GatewayCore): GatewayBackend {
  return {
    async stream(request) {
      // `assistant/<name>`: an assistant from switchboard.yaml (its model, prompt and parameters).
      const assistant = resolveAssistantModel(request.model, request.options, core.config());
      const call = await core.calls.stream({
        model: assistant?.model ?? request.model,
        options: assistant?.options ?? request.options,
        client: request.client,
        ...(request.tags !== undefined && { tags: request.tags }),
        ...(request.preferredProvider !== undefined && { preferredProvider: request.preferredProvider }),
      });
      // Its parts as they are: reading `call.stream` would build a web stream over them.
      return withParts({ requestId: call.requestId }, partsOf(call));
    },
    async targets() {
      return (await core.calls.targets()).map(
        (t): GatewayTarget => ({ id: t.id, kind: t.kind, ownedBy: t.kind === 'group' || t.kind === 'alias' ? 'switchboard' : (t.provider ?? 'switchboard') }),
      );
    },
    async embed(request) {
      const result = await core.embeddings.embed({
        model: request.model,
        input: request.input,
        client: request.client,
        ...(request.dimensions !== undefined && { dimensions: request.dimensions }),
        ...(request.abortSignal !== undefined && { abortSignal: request.abortSignal }),
      });
      return { embeddings: result.embeddings, inputTokens: result.inputTokens, model: result.model };
    },
  };
}

/** A warning for a bind that is not loopback-only, or undefined. */
export function exposedBindWarning(host: string): string | undefined {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === '127.0.0.1' || h === 'localhost' || h === '::1' || /^127\./.test(h)) return undefined;
  return (
    `WARNING: the gateway is bound to ${host}, so other machines can reach it. Anyone with a token can spend your ` +
    'provider budget; traffic is plain HTTP. Bind 127.0.0.1 unless you mean it, and list the names clients use in gateway.allowedHosts.'
  );
}
