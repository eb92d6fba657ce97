import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { open, readFile, rm, stat, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineRow } from '../types';
import { startHubProcess } from './download-throughput';

/**
 * What a kill -9 in the middle of a download costs: `switchboard models download` (the real CLI,
 * HF_ENDPOINT at the fake hub in its own process) is killed with SIGKILL once a third of the file
 * is on disk, then run again to the end. Bytes re-fetched = bytes the hub sent over both runs minus
 * the file size (what was in sockets and buffers when the process died). Target ≤ 8 MiB; the row
 * reports the worst of its trials. BENCH_KILL_BYTES / BENCH_KILL_TRIALS override the defaults.
 */
const SIZE = Number(process.env.BENCH_KILL_BYTES ?? 768 * 1024 ** 2);
const TRIALS = Number(process.env.BENCH_KILL_TRIALS ?? 3);
const BUDGET_MIB = 8;
const REPO = 'bench/kill-GGUF';
const FILE = 'kill-Q4_K_M.gguf';
const BIN = fileURLToPath(new URL('../../bin/switchboard.mjs', import.meta.url));

export default defineRow({
  name: 'download-kill-refetch',
  description: `bytes fetched again after kill -9 of \`switchboard models download\` mid-file (${(SIZE / 1024 ** 2).toFixed(0)} MiB file)`,
  async run({ tmpDir, log }) {
    const fs = await statfs(tmpDir);
    if (fs.bavail * fs.bsize < 3 * SIZE) throw new Error(`not enough free disk in ${tmpDir} for a ${SIZE}-byte file and its download`);
    const source = join(tmpDir, 'source.gguf');
    const sha256 = await writeSource(source, SIZE);
    const server = await startHubProcess([REPO, FILE, source, sha256]);
    const worst: number[] = [];
    try {
      for (let trial = 0; trial < TRIALS; trial++) {
        const dataDir = join(tmpDir, `data-${trial}`);
        const dir = join(dataDir, 'models', 'bench', 'kill-GGUF');
        const part = join(dir, `.${FILE}.part`);
        const servedBefore = await server.served();
        const first = cli(dataDir, server.url);
        const deadline = Date.now() + 120_000;
        while (((await stat(part).catch(() => undefined))?.size ?? 0) < SIZE / 3) {
          if (Date.now() > deadline || first.exitCode !== null) throw new Error('the first download made no progress');
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        first.kill('SIGKILL');
        await new Promise((resolve) => first.once('close', resolve));
        const kept = (await stat(part)).size;
        const second = cli(dataDir, server.url);
        const code = await new Promise<number | null>((resolve) => second.once('close', resolve));
        if (code !== 0) throw new Error(`the resumed download exited ${code}`);
        const got = createHash('sha256').update(await readFile(join(dir, FILE))).digest('hex');
        if (got !== sha256) throw new Error('the resumed file has the wrong sha256');
        const refetched = (await server.served()) - servedBefore - SIZE;
        log(`trial ${trial + 1}: killed at ${(kept / 1024 ** 2).toFixed(1)} MiB on disk; re-fetched ${(refetched / 1024 ** 2).toFixed(2)} MiB; sha256 ok`);
        worst.push(refetched / 1024 ** 2);
        await rm(dataDir, { recursive: true, force: true });
      }
    } finally {
      server.stop();
    }
    const ours = Math.max(...worst);
    return {
      ours,
      reference: BUDGET_MIB,
      unit: 'MiB',
      ratio: BUDGET_MIB / Math.max(ours, 0.001),
      target: `≤ ${BUDGET_MIB} MiB`,
      pass: ours <= BUDGET_MIB,
      note: `worst of ${TRIALS} kill -9 trials; the reference column is the budget`,
    };
  },
});

function cli(dataDir: string, hubUrl: string) {
  return spawn(process.execPath, [BIN, 'models', 'download', REPO, FILE, '--data-dir', dataDir], {
    env: { ...process.env, HF_ENDPOINT: hubUrl, SWITCHBOARD_DATA_DIR: '' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

async function writeSource(path: string, size: number): Promise<string> {
  const hash = createHash('sha256');
  const handle = await open(path, 'w');
  try {
    const block = Buffer.alloc(8 * 1024 * 1024);
    for (let i = 0; i < block.length; i += 4) block.writeUInt32LE((i * 2654435761) >>> 0, i);
    block.write('GGUF', 0, 'ascii');
    for (let written = 0; written < size; ) {
      const n = Math.min(block.length, size - written);
      block.writeUInt32LE(written >>> 0, 4);
      await handle.write(block, 0, n, written);
      hash.update(block.subarray(0, n));
      written += n;
    }
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
}
