import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeHub, testModelRepos } from '../../test/hub/fake-hub';
import { HUB_BYTES_PER_SECOND } from './fixture-models';

export interface E2eHub {
  url: string;
  stop(): Promise<void>;
}

/**
 * The local Hugging Face hub the downloads spec searches (test/hub/fake-hub.ts: the hub's real API
 * shapes, Range, sha256), serving generated tiny GGUF repos, throttled so a download takes a few
 * seconds and its progress bar can be watched, paused and resumed.
 */
export async function startE2eHub(): Promise<E2eHub> {
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-e2e-hub-'));
  try {
    const hub = await startFakeHub({ repos: await testModelRepos(dir, { small: false }), bytesPerSecond: HUB_BYTES_PER_SECOND });
    return {
      url: hub.url,
      stop: async () => {
        await hub.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
