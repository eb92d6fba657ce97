import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startOpenAIWire } from '../../../../test/wire/openai-wire';
import type { WireServer } from '../../../../test/wire/scenario';
import { type Core, createCore } from '../../app';
import { dataDirLayout } from '../../config/data-dir';
import { type CallRecord, openStore } from '../../store';
import type { RunningGateway } from '../gateway-server';
import { openGatewayTokens } from '../gateway-tokens';
import { type StartGatewayOptions, startGateway } from '../start-gateway';

/** Longer than the call recorder's flush window (2 ms). */
const RECORDER_SETTLE_MS = 20;

/**
 * A real core over an OpenAI wire server on 127.0.0.1 (groups `fast`, `solo`, and `pricey` whose daily budget of $0 is spent), with the gateway
 * started on a free port and one token named `editor`. Test-only.
 */
export interface GatewayFixture {
  dir: string;
  core: Core;
  wire: WireServer;
  gateway: RunningGateway;
  /** The secret of the token named `editor`. */
  token: string;
  /**
   * `calls` rows, oldest first, read through a connection of their own once the core's recorder
   * has written what it queued (it writes every few ms, not as each call ends).
   */
  calls(): Promise<CallRecord[]>;
  close(): Promise<void>;
}

export const FIXTURE_CONFIG = `
providers:
  wire: { type: openai, baseURL: \${WIRE_URL}, apiKey: sk-wire-test-0000111122223333 }
groups:
  fast:
    deployments:
      - { provider: wire, model: gpt-4o-mini }
  solo:
    deployments:
      - { provider: wire, model: gpt-4o }
  pricey:
    deployments:
      - { provider: wire, model: gpt-4o }
budgets:
  - { scope: "group:pricey", daily: 0, onExceeded: block }
`;

export async function startGatewayFixture(options: { configExtra?: string; gateway?: StartGatewayOptions } = {}): Promise<GatewayFixture> {
  const wire = await startOpenAIWire();
  const dir = mkdtempSync(join(tmpdir(), 'sb-gateway-'));
  writeFileSync(join(dir, 'switchboard.yaml'), FIXTURE_CONFIG + (options.configExtra ?? ''));
  const core = await createCore({ dataDir: dir, engineOptions: { threads: 1 }, env: { WIRE_URL: wire.baseURL }, router: { sleep: async () => undefined } });
  const { token } = openGatewayTokens(dir).create('editor');
  const gateway = await startGateway(core, { port: 0, ...options.gateway });
  return {
    dir,
    core,
    wire,
    gateway,
    token,
    async calls() {
      await new Promise((resolve) => setTimeout(resolve, RECORDER_SETTLE_MS));
      const store = openStore({ path: dataDirLayout(dir).database });
      try {
        return store.calls.list({ limit: 10_000 }).reverse();
      } finally {
        store.close();
      }
    },
    async close() {
      await gateway.close();
      await core.dispose();
      await wire.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
