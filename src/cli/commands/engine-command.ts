import type { Command } from 'commander';
import { z } from 'zod';
import type { Dispatcher } from '../../core/api/dispatcher';
import { type BackendCheckInfo, type EngineProgressEvent, type EngineStatusInfo, type LoadedModelInfo, ENGINE_KV_CACHE_TYPES, HOST_EVENTS } from '../../shared/contract';
import type { CliIo } from '../cli-io';
import { formatBytes, formatTable } from '../format-table';
import { dataDirFlag, intFlag, parseOptions, withDataDir } from '../options';
import { requestData } from '../request-data';

const jsonOptions = z.object({ json: z.boolean().default(false), dataDir: dataDirFlag });
const checkOptions = jsonOptions.extend({ force: z.boolean().default(false) });
const loadOptions = jsonOptions.extend({
  contextSize: intFlag(128, 10_000_000).optional(),
  gpuLayers: z
    .string()
    .regex(/^(auto|max|\d+)$/, 'expected auto, max or a number of layers')
    .transform((v) => (v === 'auto' || v === 'max' ? v : Number(v)))
    .optional(),
  threads: intFlag(1, 1024).optional(),
  flashAttention: z.boolean().optional(),
  kvCacheType: z.enum(ENGINE_KV_CACHE_TYPES, { error: `expected one of ${ENGINE_KV_CACHE_TYPES.join(', ')}` }).optional(),
});

const NOTE = 'Each CLI command runs its own engine process; a running app or `switchboard serve` has its own.';

export function registerEngineCommand(program: Command, io: CliIo): void {
  const engine = program.command('engine').description('the local engine: backend and GPU self-check, memory budget, load and unload');

  const status = engine.command('status').description(`backend, self-check verdicts, memory budget and loaded models. ${NOTE}`).option('--json', 'print as JSON');
  withDataDir(status).action(async (flags: Record<string, unknown>) => {
    const options = parseOptions(status, jsonOptions, flags);
    const data = await withEngineCore(options.dataDir, io, false, (d) => requestData(d, 'engine.status', {}));
    await io.out(options.json ? `${JSON.stringify(data, null, 2)}\n` : formatEngineStatus(data));
  });

  const check = engine
    .command('gpu-check')
    .description('the GPU backend self-check: a tiny decode per backend in a short-lived process; the verdicts are remembered per machine and driver')
    .option('--force', 'check again even when a verdict is remembered')
    .option('--json', 'print as JSON');
  withDataDir(check).action(async (flags: Record<string, unknown>) => {
    const options = parseOptions(check, checkOptions, flags);
    const started = performance.now();
    const data = await withEngineCore(options.dataDir, io, !options.json, (d) => requestData(d, 'engine.check', { force: options.force }));
    const seconds = (performance.now() - started) / 1000;
    await io.out(options.json ? `${JSON.stringify(data, null, 2)}\n` : `${formatSelfCheck(data)}(${seconds.toFixed(1)} s)\n`);
  });

  const load = engine
    .command('load')
    .description(`loads a local model with its settings from switchboard.yaml (flags override them) and reports it. ${NOTE}`)
    .argument('<model>', 'a local model id, e.g. local/qwen2.5-0.5b-instruct-q4_k_m')
    .option('--context-size <n>', 'context size in tokens')
    .option('--gpu-layers <n>', 'auto, max or a number of layers')
    .option('--threads <n>', 'threads for this model')
    .option('--flash-attention', 'use flash attention')
    .option('--kv-cache-type <type>', `KV cache type (advanced): ${ENGINE_KV_CACHE_TYPES.join(', ')}`)
    .option('--json', 'print as JSON');
  withDataDir(load).action(async (model: string, flags: Record<string, unknown>) => {
    const options = parseOptions(load, loadOptions, flags);
    const settings = {
      ...(options.contextSize !== undefined && { contextSize: options.contextSize }),
      ...(options.gpuLayers !== undefined && { gpuLayers: options.gpuLayers }),
      ...(options.threads !== undefined && { threads: options.threads }),
      ...(options.flashAttention !== undefined && { flashAttention: options.flashAttention }),
      ...(options.kvCacheType !== undefined && { kvCacheType: options.kvCacheType }),
    };
    const started = performance.now();
    const data = await withEngineCore(options.dataDir, io, !options.json, (d) => requestData(d, 'engine.load', { model, settings }));
    const seconds = (performance.now() - started) / 1000;
    await io.out(options.json ? `${JSON.stringify(data, null, 2)}\n` : `${formatLoaded([data])}loaded in ${seconds.toFixed(1)} s (engine start included)\n`);
  });

  const unload = engine.command('unload').description(`unloads a local model. ${NOTE}`).argument('<model>', 'a local model id').option('--json', 'print as JSON');
  withDataDir(unload).action(async (model: string, flags: Record<string, unknown>) => {
    const options = parseOptions(unload, jsonOptions, flags);
    const data = await withEngineCore(options.dataDir, io, false, (d) => requestData(d, 'engine.unload', { model }));
    await io.out(options.json ? `${JSON.stringify(data)}\n` : data.unloaded ? `unloaded ${model}\n` : `${model} was not loaded in this engine\n`);
  });
}

/** Like withCore, with the engine's progress (loads, self-check steps) on stderr while the command runs. */
async function withEngineCore<T>(dataDir: string, io: CliIo, showProgress: boolean, fn: (dispatcher: Dispatcher) => Promise<T>): Promise<T> {
  const { createCore } = await import('../../core/app');
  const core = await createCore({
    dataDir,
    resumeDownloads: false, // a one-shot command: leave queued downloads to the app or `serve`
    log: (level, message) => {
      if (level !== 'info' || process.env.SWITCHBOARD_DEBUG) io.err(`switchboard: ${level}: ${message}\n`);
    },
  });
  const off = core.onEvent((name, data) => {
    if (showProgress && name === HOST_EVENTS.engineProgress) {
      const line = describeProgress(data as EngineProgressEvent);
      if (line !== undefined) io.err(`${line}\n`);
    }
  });
  try {
    return await fn(core.dispatcher);
  } finally {
    off();
    await core.dispose();
  }
}

export function describeProgress(event: EngineProgressEvent): string | undefined {
  const note = event.message === null ? '' : `: ${event.message}`;
  switch (event.kind) {
    case 'backend':
      return `gpu-check ${event.backend} ${event.state}${note}`;
    case 'model':
      // Progress ticks are many; the states between them are what a terminal needs.
      if (event.state === 'loading' && event.progress !== null && event.progress > 0 && event.progress < 1) return undefined;
      return `${event.id ?? event.path} ${event.state}${event.progress !== null && event.state === 'loading' ? ` ${Math.round(event.progress * 100)}%` : ''}${note}`;
    case 'engine':
      return event.state === 'started' ? undefined : `engine ${event.state}${note}`;
  }
}

export function formatSelfCheck(report: BackendCheckInfo): string {
  const lines = [`backend: ${report.chosen}${report.setting === 'auto' ? ' (chosen by the self-check)' : report.setting === false ? ' (gpu: false)' : ` (setting: ${report.setting})`}`, `machine: ${report.machine}`];
  lines.push(report.fromCache ? 'verdicts: remembered for this machine and driver (--force checks again)' : 'verdicts: checked now');
  if (report.verdicts.length === 0) lines.push(report.setting === false ? 'no GPU backend is checked with gpu: false' : 'no usable GPU backend found: no check needed, the CPU is used');
  const rows = report.verdicts.map((v) => [v.backend, v.status, v.durationMs === undefined ? '-' : `${(v.durationMs / 1000).toFixed(1)} s`, v.reason]);
  return `${lines.join('\n')}\n${rows.length > 0 ? formatTable(['BACKEND', 'VERDICT', 'TOOK', 'WHY'], rows, new Set([2])) : ''}`;
}

function formatLoaded(models: readonly LoadedModelInfo[]): string {
  if (models.length === 0) return 'no models loaded\n';
  const rows = models.map((m) => [
    m.id ?? m.path,
    formatBytes(m.memoryBytes),
    String(m.contextSize),
    String(m.gpuLayers),
    String(m.settings.threads),
    m.settings.flashAttention ? 'on' : 'off',
    m.settings.kvCacheType,
    String(m.activeRequests),
  ]);
  return formatTable(['MODEL', 'MEMORY', 'CONTEXT', 'GPU LAYERS', 'THREADS', 'FLASH ATTN', 'KV CACHE', 'ACTIVE'], rows, new Set([1, 2, 3, 4, 7]));
}

export function formatEngineStatus(status: EngineStatusInfo): string {
  const head = [
    `backend: ${status.backend}, ${status.threads} thread(s), pid ${status.pid ?? '-'}, restarts ${status.restarts}`,
    `memory budget: ${formatBytes(status.memoryBudget.bytes)} (${status.memoryBudget.source === 'config' ? 'engine.memoryBudgetMiB' : 'from free memory at start'}); RAM free ${formatBytes(status.ram.free)} of ${formatBytes(status.ram.total)}${status.vram ? `; VRAM used ${formatBytes(status.vram.used)} of ${formatBytes(status.vram.total)}` : ''}`,
  ].join('\n');
  const check = status.selfCheck === null ? 'self-check: none (gpu: false)\n' : formatSelfCheck(status.selfCheck);
  return `${head}\n${check}${formatLoaded(status.models)}`;
}
