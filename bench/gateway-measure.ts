/**
 * The gateway bench, measured once and shared by the `gateway` (throughput) and `gateway-latency`
 * rows: a stub OpenAI upstream on loopback (its own process), called (a) directly, (b) through
 * Switchboard's gateway (its own process, a real core: routed, every call recorded in SQLite),
 * (c) through Portkey's open-source gateway, fetched with `npx -y @portkey-ai/gateway@VERSION` at
 * bench time (never a dependency), and (d) through a bare forwarding proxy (node:http + undici, no
 * checks or recording): the floor of what one more hop in Node costs on this machine, for context.
 * The load generator is undici with keep-alive connections, in this process.
 *
 * Our gateway runs from a build like the Electron app's main process (`buildLikeTheApp`: Vite,
 * ES modules, dependencies left to node_modules), as the app serves it. The same gateway run from
 * the sources through tsx, as `switchboard serve` runs it, is measured beside it
 * (`switchboard-tsx`): tsx compiles with esbuild's keepNames, which renames every function as it
 * is made (5–13% more CPU per request in interleaved A/B runs).
 */
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { Pool } from 'undici';
import { build } from 'vite';
import { median } from './stats';

export const PORTKEY_VERSION = process.env.BENCH_PORTKEY_VERSION ?? '1.15.2';
const CONNECTIONS = 10;
const ROUNDS = Number(process.env.BENCH_GATEWAY_ROUNDS ?? 5);
const ROUND_MS = Number(process.env.BENCH_GATEWAY_ROUND_MS ?? 2000);
const SEQUENTIAL = Number(process.env.BENCH_GATEWAY_SEQUENTIAL ?? 600);
const WARMUP_MS = 1500;

type TargetName = 'direct' | 'switchboard' | 'switchboard-tsx' | 'portkey' | 'bare-proxy';

interface Target {
  name: TargetName;
  /** The processes that serve it, for their CPU time (Linux /proc); empty where unknown. */
  pids: () => number[];
  origin: string;
  path: string;
  headers: Record<string, string>;
  model: string;
}

export interface TargetResult {
  /** Requests per second at 10 connections (median of rounds); NaN when it could not run. */
  rps: number;
  /** p50 latency at 1 connection, ms. */
  p50Ms: number;
  /** p50 at 10 connections, ms. */
  p50LoadedMs: number;
  /**
   * CPU time its server process(es) spent per request at 10 connections, ms (median of rounds; NaN
   * without /proc). Other engineers' load stretches wall time, much less CPU time: the steadier figure.
   */
  cpuMsPerRequest: number;
  streaming: string;
  error?: string;
}

export interface GatewayMeasurement {
  direct: TargetResult;
  /** Our gateway as the Electron app runs it (a build like its main process). */
  switchboard: TargetResult & { recorded: number; requests: number };
  /** The same, from the sources through tsx, as `switchboard serve` runs it. */
  switchboardTsx: TargetResult & { recorded: number; requests: number };
  portkey: TargetResult;
  /** The floor: a proxy that only forwards (bench/reference/bare-proxy.ts). */
  bareProxy: TargetResult;
  /** p50 through the gateway minus p50 direct, ms. */
  addedMs: { switchboard: number; switchboardTsx: number; portkey: number; bareProxy: number };
}

let measured: Promise<GatewayMeasurement> | undefined;

/** Measures once per bench process; both rows read the same numbers. */
export function measureGateways(log: (line: string) => void): Promise<GatewayMeasurement> {
  return (measured ??= run(log));
}

async function run(log: (line: string) => void): Promise<GatewayMeasurement> {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const dir = mkdtempSync(join(tmpdir(), 'bench-gateway-'));
  const children: ChildProcess[] = [];
  let portkey: ChildProcess | undefined;
  try {
    const upstream = forkTs('stub-openai-upstream.ts', [], tsx);
    children.push(upstream);
    const { port: upstreamPort } = await message<{ port: number }>(upstream);
    const upstreamURL = `http://127.0.0.1:${upstreamPort}/v1`;

    const built = await buildLikeTheApp(log);
    const builtDir = join(dir, 'built');
    const tsxDir = join(dir, 'tsx');
    mkdirSync(builtDir);
    mkdirSync(tsxDir);
    const gateway = fork(built, [builtDir, upstreamURL], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    children.push(gateway);
    const { port: gatewayPort, token } = await message<{ port: number; token: string }>(gateway);
    const gatewayTsx = forkTs('gateway-process.ts', [tsxDir, upstreamURL], tsx);
    children.push(gatewayTsx);
    const { port: tsxPort, token: tsxToken } = await message<{ port: number; token: string }>(gatewayTsx);
    const bare = forkTs('bare-proxy.ts', [upstreamURL], tsx);
    children.push(bare);
    const { port: barePort } = await message<{ port: number }>(bare);

    const portkeyPort = await freePort();
    let portkeyError: string | undefined;
    try {
      portkey = await startPortkey(portkeyPort, dir, log);
    } catch (error) {
      portkeyError = error instanceof Error ? error.message : String(error);
      log(`portkey could not run: ${portkeyError}`);
    }

    const targets: Target[] = [
      { name: 'direct', pids: () => [upstream.pid ?? 0], origin: `http://127.0.0.1:${upstreamPort}`, path: '/v1/chat/completions', headers: { authorization: 'Bearer sk-bench-stub' }, model: 'stub-model' },
      { name: 'switchboard', pids: () => [gateway.pid ?? 0], origin: `http://127.0.0.1:${gatewayPort}`, path: '/v1/chat/completions', headers: { authorization: `Bearer ${token}` }, model: 'bench' },
      { name: 'switchboard-tsx', pids: () => [gatewayTsx.pid ?? 0], origin: `http://127.0.0.1:${tsxPort}`, path: '/v1/chat/completions', headers: { authorization: `Bearer ${tsxToken}` }, model: 'bench' },
      { name: 'bare-proxy', pids: () => [bare.pid ?? 0], origin: `http://127.0.0.1:${barePort}`, path: '/v1/chat/completions', headers: { authorization: 'Bearer sk-bench-stub' }, model: 'stub-model' },
    ];
    if (portkey !== undefined) {
      targets.push({
        name: 'portkey',
        pids: () => processGroup(portkey?.pid ?? 0),
        origin: `http://127.0.0.1:${portkeyPort}`,
        path: '/v1/chat/completions',
        headers: { authorization: 'Bearer sk-bench-stub', 'x-portkey-provider': 'openai', 'x-portkey-custom-host': upstreamURL },
        model: 'stub-model',
      });
    }

    const streaming = new Map<string, string>();
    for (const t of targets) streaming.set(t.name, await checkStreaming(t));
    log(`streaming: ${[...streaming].map(([n, s]) => `${n} ${s}`).join('; ')}`);

    const pools = new Map(targets.map((t) => [t.name, new Pool(t.origin, { connections: CONNECTIONS, pipelining: 1 })]));
    const single = new Map(targets.map((t) => [t.name, new Pool(t.origin, { connections: 1, pipelining: 1 })]));
    // Requests each gateway answered (its streaming check included), for the recorded-rows check.
    const requests = new Map<TargetName, number>([
      ['switchboard', 1],
      ['switchboard-tsx', 1],
    ]);
    const count = (t: Target, n: number) => {
      const before = requests.get(t.name);
      if (before !== undefined) requests.set(t.name, before + n);
    };

    // Warm every path (JIT, connections, the SQLite statements).
    for (const t of targets) count(t, (await load(t, pools.get(t.name) as Pool, WARMUP_MS)).count);

    // Sequential latency: requests interleaved one by one across the targets, so drift hits all alike.
    const sequential = new Map<string, number[]>(targets.map((t) => [t.name, []]));
    for (let i = 0; i < SEQUENTIAL; i++) {
      const order = i % 2 === 0 ? targets : [...targets].reverse();
      for (const t of order) {
        const start = performance.now();
        await call(t, single.get(t.name) as Pool);
        sequential.get(t.name)?.push(performance.now() - start);
        count(t, 1);
      }
    }

    // Throughput at 10 connections: rounds, rotating which target goes first.
    const rps = new Map<string, number[]>(targets.map((t) => [t.name, []]));
    const loaded = new Map<string, number[]>(targets.map((t) => [t.name, []]));
    const cpu = new Map<string, number[]>(targets.map((t) => [t.name, []]));
    for (let r = 0; r < ROUNDS; r++) {
      const order = targets.map((_, i) => targets[(i + r) % targets.length] as Target);
      for (const t of order) {
        const cpuBefore = cpuMs(t.pids());
        const result = await load(t, pools.get(t.name) as Pool, ROUND_MS);
        cpu.get(t.name)?.push((cpuMs(t.pids()) - cpuBefore) / result.count);
        count(t, result.count);
        rps.get(t.name)?.push(result.count / (ROUND_MS / 1000));
        loaded.get(t.name)?.push(result.p50);
        log(`round ${r + 1}: ${t.name} ${(result.count / (ROUND_MS / 1000)).toFixed(0)} req/s, p50 ${result.p50.toFixed(2)} ms`);
      }
    }
    await Promise.all([...pools.values(), ...single.values()].map((p) => p.close()));

    const result = (name: TargetName): TargetResult => {
      const seq = sequential.get(name);
      if (seq === undefined) return { rps: Number.NaN, p50Ms: Number.NaN, p50LoadedMs: Number.NaN, cpuMsPerRequest: Number.NaN, streaming: 'not run', ...(portkeyError !== undefined && { error: portkeyError }) };
      return { rps: median(rps.get(name) ?? []), p50Ms: median(seq), p50LoadedMs: median(loaded.get(name) ?? []), cpuMsPerRequest: median(cpu.get(name) ?? []), streaming: streaming.get(name) ?? 'not run' };
    };
    const added = (name: TargetName) => {
      const ours = sequential.get(name);
      const direct = sequential.get('direct') ?? [];
      return ours === undefined ? Number.NaN : median(ours) - median(direct);
    };

    return {
      direct: result('direct'),
      switchboard: { ...result('switchboard'), recorded: countRecorded(builtDir), requests: requests.get('switchboard') ?? 0 },
      switchboardTsx: { ...result('switchboard-tsx'), recorded: countRecorded(tsxDir), requests: requests.get('switchboard-tsx') ?? 0 },
      portkey: result('portkey'),
      bareProxy: result('bare-proxy'),
      addedMs: { switchboard: added('switchboard'), switchboardTsx: added('switchboard-tsx'), portkey: added('portkey'), bareProxy: added('bare-proxy') },
    };
  } finally {
    if (portkey?.pid !== undefined) {
      try {
        process.kill(-portkey.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    for (const child of children) child.disconnect();
    await Promise.all(children.map((c) => (c.exitCode === null ? once(c, 'exit') : undefined)));
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * bench/reference/gateway-process.ts built as electron.vite.config.ts builds the app's main
 * process (Vite, ES modules, every dependency left to node_modules, no minifying), into
 * node_modules/.cache so that its imports resolve from this checkout (and never into out/, which
 * electron-builder packages). Returns the built file.
 */
async function buildLikeTheApp(log: (line: string) => void): Promise<string> {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const outDir = join(root, 'node_modules', '.cache', 'switchboard-bench');
  const started = performance.now();
  await build({
    configFile: false,
    root,
    logLevel: 'warn',
    build: {
      ssr: fileURLToPath(new URL('./reference/gateway-process.ts', import.meta.url)),
      outDir,
      emptyOutDir: true,
      minify: false,
      rolldownOptions: { output: { format: 'es', entryFileNames: '[name].mjs' } },
    },
  });
  log(`built the gateway process like the app's main process in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return join(outDir, 'gateway-process.mjs');
}

function forkTs(file: string, args: string[], tsx: string): ChildProcess {
  const script = fileURLToPath(new URL(`./reference/${file}`, import.meta.url));
  return fork(script, args, { execArgv: ['--import', tsx], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

function message<T>(child: ChildProcess): Promise<T> {
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve(m as T));
    child.once('exit', (code) => reject(new Error(`a bench process exited early (${String(code)})`)));
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** `npx -y @portkey-ai/gateway@VERSION --port=N --headless`, in its own process group; waits until it answers. */
async function startPortkey(port: number, cwd: string, log: (line: string) => void): Promise<ChildProcess> {
  log(`starting Portkey's gateway ${PORTKEY_VERSION} with npx (downloads it the first time)…`);
  const child = spawn('npx', ['-y', `@portkey-ai/gateway@${PORTKEY_VERSION}`, `--port=${port}`, '--headless'], {
    cwd,
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-2000)));
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`npx exited with ${child.exitCode}: ${stderr.trim() || 'no output'}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/`);
      if (res.ok) return child;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
  throw new Error(`Portkey did not answer on port ${port} within 180 s: ${stderr.trim()}`);
}

function body(t: Target, stream: boolean): string {
  return JSON.stringify({ model: t.model, messages: [{ role: 'user', content: 'Hi' }], ...(stream && { stream: true, stream_options: { include_usage: true } }) });
}

async function call(t: Target, pool: Pool): Promise<void> {
  const res = await pool.request({ path: t.path, method: 'POST', headers: { ...t.headers, 'content-type': 'application/json' }, body: body(t, false) });
  const text = await res.body.text();
  if (res.statusCode !== 200) throw new Error(`${t.name} answered ${res.statusCode}: ${text.slice(0, 300)}`);
}

async function load(t: Target, pool: Pool, durationMs: number): Promise<{ count: number; p50: number }> {
  const end = performance.now() + durationMs;
  const latencies: number[] = [];
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < end) {
        const start = performance.now();
        await call(t, pool);
        latencies.push(performance.now() - start);
      }
    }),
  );
  return { count: latencies.length, p50: median(latencies) };
}

/** One streamed request with include_usage: `ok` when the text, the usage chunk and [DONE] all came through. */
async function checkStreaming(t: Target): Promise<string> {
  try {
    const res = await fetch(`${t.origin}${t.path}`, { method: 'POST', headers: { ...t.headers, 'content-type': 'application/json' }, body: body(t, true) });
    const text = await res.text();
    if (res.status !== 200) return `fails: HTTP ${res.status} ${text.slice(0, 200).replace(/\s+/g, ' ')}`;
    let content = '';
    let usage = false;
    let done = false;
    for (const line of text.split('\n')) {
      if (!line.startsWith('data: ')) continue;
      const data = line.slice(6).trim();
      if (data === '[DONE]') {
        done = true;
        continue;
      }
      const chunk = JSON.parse(data) as { choices?: Array<{ delta?: { content?: string } }>; usage?: unknown };
      content += chunk.choices?.[0]?.delta?.content ?? '';
      if (chunk.usage) usage = true;
    }
    if (content !== 'Hello from the stub.') return `fails: got ${JSON.stringify(content)}`;
    return done && usage ? 'ok' : `partial (${done ? '' : 'no [DONE] '}${usage ? '' : 'no usage'})`.trim();
  } catch (error) {
    return `fails: ${error instanceof Error ? error.message : String(error)}`;
  }
}

function countRecorded(dir: string): number {
  const db = new Database(join(dir, 'switchboard.db'), { readonly: true });
  try {
    return (db.prepare("SELECT COUNT(*) AS n FROM calls WHERE client = 'bench' AND outcome = 'success'").get() as { n: number }).n;
  } finally {
    db.close();
  }
}

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** User + system CPU time of these processes so far, ms; NaN without /proc. */
function cpuMs(pids: number[]): number {
  if (!existsSync('/proc/self/stat')) return Number.NaN;
  let ticks = 0;
  for (const pid of pids) {
    const fields = statFields(pid);
    if (fields !== undefined) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks * TICK_MS;
}

/** Fields of /proc/PID/stat after the command name (so index 0 is the state, 2 the process group). */
function statFields(pid: number): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** Every process in this process group (npx and the node it starts). */
function processGroup(pgid: number): number[] {
  if (pgid === 0 || !existsSync('/proc')) return [];
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => statFields(pid)?.[2] === String(pgid));
}
