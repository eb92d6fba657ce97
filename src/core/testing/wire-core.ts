import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WireServer } from '../../../test/wire/scenario';
import { type Core, type CoreOptions, createCore } from '../app';
import { dataDirLayout } from '../config/data-dir';
import { writeTestModel } from '../models/test-model';
import { readCallRows } from '../store/testing/call-rows';

export interface WireCoreOptions<W extends string> {
  /** The temp data dir's name prefix (`sb-compare-`). */
  prefix: string;
  /** The wire servers to start, by the env name the config refers to them with (`${ONE}`). */
  wires: Record<W, () => Promise<WireServer>>;
  /** switchboard.yaml. */
  config: string;
  /** Writes a tiny GGUF as `models/tiny.gguf` (`local/tiny`). */
  tinyModel?: boolean;
  /** More of createCore's options (a virtual clock, the router's sleeps). */
  core?: Omit<CoreOptions, 'dataDir' | 'env'>;
  /** Called with each core started (the first and every `restart`), e.g. to listen to its events. */
  onStart?: (core: Core) => void;
  /** The client name `request` sends as. Default `test`. */
  client?: string;
}

export interface WireCore<W extends string> {
  dir: string;
  wires: Record<W, WireServer>;
  /** The core now running (a `restart` replaces it). */
  readonly core: Core;
  /** The tiny model's path, when asked for. */
  tinyModelPath: string | undefined;
  /** Disposes the core and starts another on the same data dir. */
  restart(): Promise<Core>;
  /** A request route's answer; a refusal throws, naming the route, code and message. */
  request<T>(route: string, input?: unknown): Promise<T>;
  /** The `calls` rows of one request, by attempt, with SQLite's column names. */
  rowsOf<Row extends object = Record<string, unknown>>(requestId: string): Row[];
  close(): Promise<void>;
}

/**
 * A composed core over real wire servers on 127.0.0.1, in a temp data dir with the given config:
 * the preamble of the core's end-to-end tests (app-*.test.ts, compare). Test-only.
 */
export async function startWireCore<W extends string>(options: WireCoreOptions<W>): Promise<WireCore<W>> {
  const names = Object.keys(options.wires) as W[];
  const servers = await Promise.all(names.map((name) => options.wires[name]()));
  const wires = Object.fromEntries(names.map((name, i) => [name, servers[i]])) as Record<W, WireServer>;
  const env = Object.fromEntries(names.map((name) => [name, wires[name].baseURL]));
  const dir = mkdtempSync(join(tmpdir(), options.prefix));
  let tinyModelPath: string | undefined;
  let core: Core | undefined;
  const client = options.client ?? 'test';
  try {
    if (options.tinyModel === true) {
      mkdirSync(join(dir, 'models'));
      tinyModelPath = (await writeTestModel(join(dir, 'models', 'tiny.gguf'), { preset: 'tiny' })).path;
    }
    writeFileSync(join(dir, 'switchboard.yaml'), options.config);
  } catch (error) {
    await closeAll();
    throw error;
  }

  async function start(): Promise<Core> {
    const started = await createCore({ engineOptions: { threads: 1 }, ...options.core, dataDir: dir, env });
    options.onStart?.(started);
    return started;
  }
  async function closeAll(): Promise<void> {
    await core?.dispose();
    await Promise.all(servers.map((server) => server.close()));
    rmSync(dir, { recursive: true, force: true });
  }

  core = await start().catch(async (error: unknown) => {
    await closeAll();
    throw error;
  });
  const current = (): Core => {
    if (core === undefined) throw new Error('the core is not running');
    return core;
  };

  return {
    dir,
    wires,
    get core() {
      return current();
    },
    tinyModelPath,
    async restart() {
      await core?.dispose();
      core = undefined;
      core = await start();
      return core;
    },
    async request<T>(route: string, input: unknown = {}): Promise<T> {
      const result = await current().dispatcher.request(route, input, client);
      if (!result.ok) throw new Error(`${route}: ${result.error.code} ${result.error.message}`);
      return result.data as T;
    },
    rowsOf<Row extends object = Record<string, unknown>>(requestId: string): Row[] {
      return readCallRows<Row>(dataDirLayout(dir).database, requestId);
    },
    close: closeAll,
  };
}
