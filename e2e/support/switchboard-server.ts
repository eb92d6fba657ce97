import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { BROKEN_MODEL_BYTES, BROKEN_MODEL_FILE, TINY_MODEL_FILE } from './fixture-models';

const run = promisify(execFile);
const REPO_ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(REPO_ROOT, 'bin', 'switchboard.mjs');
const LISTENING = /Switchboard listening on (http:\/\/\S+)/;

export interface E2eServer {
  /** The page URL, with its token. */
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

export interface E2eServerOptions {
  startTimeoutMs?: number;
  config?: string;
  /** Added to the server's environment (e.g. `HF_ENDPOINT` for a fake hub). */
  env?: Record<string, string>;
  /** False: an empty models folder, as on a first run. Default true. */
  fixtureModels?: boolean;
}

/**
 * A throwaway data dir with a tiny model and a corrupt one (and `config` as its switchboard.yaml,
 * when given), served by `switchboard serve --port 0`.
 */
export async function startE2eServer(options: E2eServerOptions = {}): Promise<E2eServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'switchboard-e2e-'));
  const models = join(dataDir, 'models');
  await mkdir(models, { recursive: true });
  try {
    if (options.config !== undefined) await writeFile(join(dataDir, 'switchboard.yaml'), options.config);
    if (options.fixtureModels !== false) {
      await run(process.execPath, [CLI, 'make-test-model', join(models, TINY_MODEL_FILE), '--preset', 'tiny'], {
        cwd: REPO_ROOT,
        timeout: 60_000,
      });
      await writeFile(join(models, BROKEN_MODEL_FILE), BROKEN_MODEL_BYTES);
    }
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw new Error(`e2e setup: could not write the test models: ${describe(error)}`);
  }

  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--data-dir', dataDir], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stop = async () => {
    await stopProcess(child);
    await rm(dataDir, { recursive: true, force: true });
  };

  try {
    const url = await waitForListening(child, options.startTimeoutMs ?? 90_000);
    return { url, dataDir, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function waitForListening(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const stderr: string[] = [];
    const keep = (line: string) => {
      stderr.push(line);
      if (stderr.length > 40) stderr.shift();
    };
    const tail = () => (stderr.length > 0 ? `\n--- serve stderr ---\n${stderr.join('\n')}` : '');
    const timer = setTimeout(() => {
      reject(new Error(`e2e setup: switchboard serve printed no listening line within ${timeoutMs / 1000} s${tail()}`));
    }, timeoutMs);
    createInterface({ input: child.stderr! }).on('line', (line) => {
      keep(line);
      if (process.env.SWITCHBOARD_E2E_VERBOSE) process.stderr.write(`[serve] ${line}\n`);
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = LISTENING.exec(line);
      if (match) {
        clearTimeout(timer);
        resolvePromise(match[1]!);
      } else {
        keep(line);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`e2e setup: switchboard serve exited (${signal ?? `code ${code}`}) before listening${tail()}`));
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`e2e setup: could not start switchboard serve: ${error.message}`));
    });
  });
}

/** SIGTERM (serve shuts down cleanly on it), then SIGKILL if it hangs. */
async function stopProcess(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

function describe(error: unknown): string {
  const e = error as { stderr?: string; message?: string };
  return (e.stderr?.trim() || e.message || String(error)).slice(0, 2000);
}
