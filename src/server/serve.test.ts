import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runServe } from './serve';

/** `runServe`'s failed starts: one clear reason on the way out, not the shutdown's noise after it. */
let dir: string;
let rendererDir: string;
let busy: Server;
let busyPort: number;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sb-serve-'));
  rendererDir = join(dir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
  busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  busyPort = (busy.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise<void>((resolve) => busy.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

describe('runServe on a port in use', () => {
  it('fails with the port and the flag to change, and the engine it stops says nothing more', async () => {
    const stderr: string[] = [];
    const stdout: string[] = [];
    const serving = runServe({ dataDir: dir, port: busyPort, rendererDir, stdout: (l) => stdout.push(l), stderr: (l) => stderr.push(l) });
    await expect(serving).rejects.toThrow(`port ${busyPort} is already in use. Pick another with --port N, or --port 0 for any free port.`);
    expect(stdout).toEqual([]);
    expect(stderr.filter((l) => /engine/i.test(l))).toEqual([]);
  }, 30_000);

  it('gives the gateway\'s port in use once, with the flag to change', async () => {
    const stderr: string[] = [];
    const serving = runServe({ dataDir: dir, port: 0, rendererDir, gateway: { enabled: true, port: busyPort }, stdout: () => {}, stderr: (l) => stderr.push(l) });
    await expect(serving).rejects.toThrow(/^the gateway did not start: port \d+ is in use.*\(--gateway-port N picks another port\)$/);
    expect(stderr.filter((l) => l.includes(`port ${busyPort}`))).toEqual([]);
    expect(stderr.filter((l) => /engine/i.test(l))).toEqual([]);
  }, 30_000);
});

describe('runServe with the gateway', () => {
  it('says where the gateway listens in one line', async () => {
    const stderr: string[] = [];
    const stdout: string[] = [];
    let stop!: () => void;
    const until = new Promise<void>((resolve) => (stop = resolve));
    const serving = runServe({ dataDir: dir, port: 0, rendererDir, gateway: { enabled: true, port: 0 }, stdout: (l) => stdout.push(l), stderr: (l) => stderr.push(l), until });
    try {
      await expect.poll(() => stdout.length, { timeout: 20_000 }).toBe(1);
      expect(stderr.filter((l) => l.includes('/v1'))).toEqual([expect.stringMatching(/^Switchboard gateway on http:\/\/127\.0\.0\.1:\d+\/v1 /)]);
    } finally {
      stop();
      await serving;
    }
  }, 30_000);
});
