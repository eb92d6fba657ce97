import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { startE2eHub } from './fake-hub';
import { E2E_CONFIG_YAML } from './fixture-models';
import { startE2eServer } from './switchboard-server';

export const URL_ENV = 'SWITCHBOARD_E2E_URL';
export const DATA_DIR_ENV = 'SWITCHBOARD_E2E_DATA_DIR';
/** The fake hub's URL, when global setup started one (the downloads spec needs it). */
export const HUB_URL_ENV = 'SWITCHBOARD_E2E_HUB_URL';

/**
 * Starts one `switchboard serve` for the whole run, over a data dir whose switchboard.yaml
 * configures a mock provider (so the picker has a provider model besides the local files). Builds nothing: `npm test` runs
 * `npm run build:renderer` first. Workers inherit the env set here. The returned
 * function is Playwright's teardown: SIGTERM the server and remove its data dir.
 * Set SWITCHBOARD_E2E_URL to run the specs against a server that is already running.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  // a server you started yourself (e.g. to watch its logs): use it, and leave it running
  if (process.env[URL_ENV]) return async () => {};
  const renderer = resolve(import.meta.dirname, '../../out/renderer/index.html');
  if (!existsSync(renderer)) {
    process.stderr.write('e2e: out/renderer is missing; run `npm run build:renderer` first (serve will try to build it).\n');
  }
  // the serve host searches and downloads from a local fake hub (HF_ENDPOINT), never huggingface.co
  const hub = await startE2eHub();
  const server = await startE2eServer({ config: E2E_CONFIG_YAML, env: { HF_ENDPOINT: hub.url } }).catch(async (error: unknown) => {
    await hub.stop();
    throw error;
  });
  process.env[URL_ENV] = server.url;
  process.env[DATA_DIR_ENV] = server.dataDir;
  process.env[HUB_URL_ENV] = hub.url;
  return async () => {
    await server.stop();
    await hub.stop();
  };
}
