import { execFile, fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { open, rm, statfs } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { createDownloadManager } from '../../src/core/downloads';
import { createHubClient } from '../../src/core/hub';
import { openStore } from '../../src/core/store';
import { interleaved, median } from '../stats';
import { defineRow, higherIsBetter } from '../types';

/**
 * One large file over loopback from the fake hub (in its own process): our download manager
 * (hub lookup through @huggingface/hub, Range GET with undici, sha256 behind the writes, fsync, atomic
 * rename) against `curl -o` of the same URL. Pairs alternate which side goes first; the verdict
 * is the median of per-pair ratios. The file is 2 GiB (BENCH_DOWNLOAD_BYTES overrides), or less
 * when the disk cannot hold the source and two copies.
 *
 * Ours does strictly more work than curl: a sha256 of every byte (read back from the page cache), the
 * verification and the rename; the log also reports curl followed by `sha256sum`, the same
 * guarantee by hand. Neither side waits for the disk inside its timing: the manager flushes a
 * finished file after the rename (see download-manager.ts), and curl never does. Each timed run
 * starts after `sync` (untimed), so neither inherits the other's writeback: on a disk slower than
 * loopback (140 MB/s here), dirty pages left by the previous run would throttle whoever writes next.
 * The log shows how long that flush took after our run.
 */
const WANTED = Number(process.env.BENCH_DOWNLOAD_BYTES ?? 2 * 1024 ** 3);
const PAIRS = Number(process.env.BENCH_DOWNLOAD_PAIRS ?? 3);
const REPO = 'bench/throughput-GGUF';
const FILE = 'big-Q4_K_M.gguf';
const run = promisify(execFile);

export default defineRow({
  name: 'download-throughput',
  description: 'a large GGUF over loopback from the fake hub: our download manager vs curl',
  async run({ tmpDir, log }) {
    const fs = await statfs(tmpDir);
    const free = fs.bavail * fs.bsize;
    const size = Math.min(WANTED, Math.floor((free - 1024 ** 3) / 3));
    if (size < 64 * 1024 ** 2) throw new Error(`only ${free} bytes free in ${tmpDir}: not enough for the bench`);
    if (size < WANTED) log(`disk: ${free} bytes free, so the file is ${size} bytes instead of ${WANTED}`);
    const source = join(tmpDir, 'source.gguf');
    const sha256 = await writeSource(source, size);
    const server = await startHubProcess([REPO, FILE, source, sha256]);
    try {
      const client = createHubClient({ hubUrl: server.url });
      const url = client.resolveUrl(REPO, FILE);
      const store = openStore({ path: join(tmpDir, 'bench.db') });
      const modelsDir = join(tmpDir, 'models');
      const manager = createDownloadManager({
        repository: store.downloads,
        modelsDir,
        resolveHubFile: (repo, file, signal) => client.locate(repo, file, signal),
        stallMs: 60_000,
        log: (level, message) => log(`manager ${level}: ${message}`),
        onChange: (job) => {
          if (job.state === 'verifying') verifyingAt = performance.now();
        },
      });
      let verifyingAt = 0;
      const dest = join(modelsDir, 'bench', 'throughput-GGUF', FILE);
      const curlOut = join(tmpDir, 'curl.gguf');
      // Untimed: no dirty pages of an earlier run left to write back during the next one.
      const settle = async () => {
        await rm(dest, { force: true });
        await rm(curlOut, { force: true });
        const began = performance.now();
        await run('sync');
        return (performance.now() - began) / 1000;
      };
      await settle();
      const ours = async () => {
        for (const job of manager.list()) manager.dismiss(job.id);
        await settle();
        const hubBefore = cpuSecondsOf(server.pid);
        const cpuBefore = process.cpuUsage();
        const began = performance.now();
        const job = await manager.start({ kind: 'hub', repo: REPO, file: FILE });
        const done = await manager.settled(job.id);
        const ended = performance.now();
        const seconds = (ended - began) / 1000;
        const cpu = process.cpuUsage(cpuBefore);
        log(`ours: CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s (user ${(cpu.user / 1e6).toFixed(2)}, system ${(cpu.system / 1e6).toFixed(2)}), the hub's ${(cpuSecondsOf(server.pid) - hubBefore).toFixed(2)} s, in ${seconds.toFixed(2)} s`);
        const flushStarted = performance.now();
        await run('sync');
        const flushed = (performance.now() - flushStarted) / 1000;
        log(`ours: transfer and hash ${((verifyingAt - began) / 1000).toFixed(2)} s, verify + rename ${((ended - verifyingAt) / 1000).toFixed(2)} s; on disk ${flushed.toFixed(2)} s later (untimed)`);
        if (done.state !== 'completed') throw new Error(`our download ${done.state}: ${done.error?.message ?? ''}`);
        return size / seconds;
      };
      const curlOnce = () => run('curl', ['-sS', '-L', '--fail', '-o', curlOut, url]);
      const curl = async () => {
        await settle();
        const hubBefore = cpuSecondsOf(server.pid);
        const began = performance.now();
        // bash reports the CPU time of the curl it waited for (its children's utime and stime).
        const { stdout } = await run('bash', ['-c', 'curl -sS -L --fail -o "$1" "$2" && read -ra f < /proc/$$/stat && echo "${f[15]} ${f[16]}"', 'bash', curlOut, url]);
        const seconds = (performance.now() - began) / 1000;
        const [user = 0, system = 0] = stdout.trim().split(' ').map((ticks) => Number(ticks) / TICKS_PER_SECOND);
        log(`curl: CPU ${(user + system).toFixed(2)} s (user ${user.toFixed(2)}, system ${system.toFixed(2)}), the hub's ${(cpuSecondsOf(server.pid) - hubBefore).toFixed(2)} s, in ${seconds.toFixed(2)} s`);
        return size / seconds;
      };
      // For context only (not the verdict): curl and then sha256sum, the same guarantee by hand.
      const curlAndHash = async () => {
        await settle();
        const began = performance.now();
        await curlOnce();
        await run('sha256sum', [curlOut]);
        return size / ((performance.now() - began) / 1000);
      };
      const checked: number[] = [];
      const { oursRuns, theirRuns } = await interleaved(PAIRS, ours, curl, (o, t, i) =>
        log(`pair ${i + 1}: ours ${(o / 1024 ** 2).toFixed(0)} MiB/s, curl ${(t / 1024 ** 2).toFixed(0)} MiB/s (${(o / t).toFixed(3)}×)`),
      );
      for (let i = 0; i < PAIRS; i++) checked.push(await curlAndHash());
      log(`sha256 on this CPU: ${sha256SecondsPerGiB().toFixed(2)} s per GiB (on one core; ours hashes every byte, curl none)`);
      log(`curl + sha256sum: ${(median(checked) / 1024 ** 2).toFixed(0)} MiB/s (ours ${(median(oursRuns) / median(checked)).toFixed(3)}× of that)`);
      await manager.close();
      store.close();
      const ratio = median(oursRuns.map((o, i) => o / (theirRuns[i] as number)));
      const result = higherIsBetter(median(oursRuns) / 1024 ** 2, median(theirRuns) / 1024 ** 2, 'MiB/s', 0.9, `${(size / 1024 ** 3).toFixed(2)} GiB file, median of ${PAIRS} pairs; ours includes sha256, verify and rename, sync between runs; curl + sha256sum ${(median(checked) / 1024 ** 2).toFixed(0)} MiB/s`);
      return { ...result, ratio, pass: ratio >= 0.9 };
    } finally {
      server.stop();
    }
  },
});

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** User + system CPU seconds of a live process so far (Linux /proc; NaN elsewhere). */
function cpuSecondsOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}

/** How long one core takes to sha256 a GiB, as the download's hash worker does it (1 MiB updates). */
function sha256SecondsPerGiB(): number {
  const block = Buffer.alloc(1 << 20, 7);
  const hash = createHash('sha256');
  const began = performance.now();
  for (let i = 0; i < 1024; i++) hash.update(block);
  hash.digest();
  return (performance.now() - began) / 1000;
}

/** Pseudo-random bytes (not compressible, not all zeros) after a GGUF magic; returns the sha256. */
async function writeSource(path: string, size: number): Promise<string> {
  const hash = createHash('sha256');
  const handle = await open(path, 'w');
  try {
    const block = Buffer.alloc(8 * 1024 * 1024);
    let x = 12345;
    for (let i = 0; i < block.length; i += 4) {
      x = (x * 1664525 + 1013904223) >>> 0;
      block.writeUInt32LE(x, i);
    }
    block.write('GGUF', 0, 'ascii');
    for (let written = 0; written < size; ) {
      const n = Math.min(block.length, size - written);
      const chunk = block.subarray(0, n);
      block.writeUInt32LE(written >>> 0, 4); // vary each block a little
      await handle.write(chunk, 0, n, written);
      hash.update(chunk);
      written += n;
    }
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
}

export async function startHubProcess(args: string[]): Promise<{ url: string; pid: number; served(): Promise<number>; throttle(bps: number | null): Promise<void>; stop(): void }> {
  const script = fileURLToPath(new URL('../reference/fake-hub-server.ts', import.meta.url));
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const child = fork(script, args, { execArgv: ['--import', tsx], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (m: unknown) => resolve((m as { url: string }).url));
    child.once('exit', (code) => reject(new Error(`the fake hub process exited (${code})`)));
  });
  const ask = <T>(message: object, key: string) =>
    new Promise<T>((resolve) => {
      const onMessage = (m: unknown) => {
        if (typeof m === 'object' && m !== null && key in m) {
          child.off('message', onMessage);
          resolve((m as Record<string, T>)[key] as T);
        }
      };
      child.on('message', onMessage);
      child.send(message);
    });
  return {
    url,
    pid: child.pid ?? 0,
    served: () => ask<number>({ type: 'served' }, 'servedBytes'),
    throttle: async (bytesPerSecond) => void (await ask<boolean>({ type: 'throttle', bytesPerSecond }, 'throttled')),
    stop: () => child.kill(),
  };
}
