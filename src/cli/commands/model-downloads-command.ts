import type { Command } from 'commander';
import { z } from 'zod';
import type { Dispatcher } from '../../core/api/dispatcher';
import type { DownloadJob, HubRepo } from '../../shared/contract';
import { CliError, EXIT } from '../cli-error';
import type { CliIo } from '../cli-io';
import { formatBytes, formatTable } from '../format-table';
import { dataDirFlag, intFlag, parseOptions, withDataDir } from '../options';
import { requestData } from '../request-data';
import { withCore } from '../with-core';

const FINAL = new Set(['completed', 'failed', 'cancelled']);

/**
 * `models search|download|downloads|delete`, added under the `models` command: Hugging Face search
 * (`hub.search`), a download that waits for its job and prints progress (`downloads.start`),
 * the job list, and deleting a local model.
 */
export function registerModelDownloadCommands(program: Command, io: CliIo): void {
  const models = program.commands.find((c) => c.name() === 'models') ?? program.command('models').description('local models');

  const search = models
    .command('search')
    .description('search Hugging Face (hub.url, HF_ENDPOINT) for GGUF models: files, sizes, quantization, fit')
    .argument('[query]', 'words in the repo name', '')
    .option('--limit <n>', 'repos to show (1-50)', '10')
    .option('--json', 'print the result as JSON');
  withDataDir(search).action(async (query: string, flags: Record<string, unknown>) => {
    const options = parseOptions(search, z.object({ limit: intFlag(1, 50), json: z.boolean().default(false), dataDir: dataDirFlag }), flags);
    const result = await withCore(options.dataDir, (d) => requestData(d, 'hub.search', { query, limit: options.limit }));
    if (options.json) return io.out(`${JSON.stringify(result, null, 2)}\n`);
    await io.out(formatRepos(result.repos, result.hubUrl));
  });

  const download = models
    .command('download')
    .description('download a GGUF file from the hub (or pull an Ollama model) and wait for it; resumes a partial download')
    .argument('[repo]', 'the Hugging Face repo, e.g. Qwen/Qwen2.5-0.5B-Instruct-GGUF')
    .argument('[file]', 'the file in the repo, e.g. qwen2.5-0.5b-instruct-q4_k_m.gguf')
    .option('--ollama <model>', 'pull this model with the configured Ollama instead')
    .option('--starter', 'the onboarding starter model (Qwen2.5 0.5B Instruct Q4_K_M)')
    .option('--json', 'print the finished job as JSON');
  withDataDir(download).action(async (repo: string | undefined, file: string | undefined, flags: Record<string, unknown>) => {
    const options = parseOptions(
      download,
      z.object({ ollama: z.string().min(1).optional(), starter: z.boolean().default(false), json: z.boolean().default(false), dataDir: dataDirFlag }),
      flags,
    );
    const job = await withCore(options.dataDir, async (dispatcher) => {
      let started: DownloadJob;
      if (options.starter) {
        const starter = await requestData(dispatcher, 'downloads.starter', { start: true });
        if (starter.job === null) {
          io.err(`${starter.starter.title} is already in the library: ${starter.presentAt ?? ''}\n`);
          return undefined;
        }
        started = starter.job;
      } else if (options.ollama !== undefined) {
        started = await requestData(dispatcher, 'downloads.start', { kind: 'ollama', model: options.ollama });
      } else {
        if (repo === undefined || file === undefined) throw new CliError('give a REPO and a FILE (see `switchboard models search`), or --ollama MODEL, or --starter', EXIT.usage);
        started = await requestData(dispatcher, 'downloads.start', { kind: 'hub', repo, file });
      }
      return waitForJob(dispatcher, started, io);
    });
    if (job === undefined) return;
    if (options.json) await io.out(`${JSON.stringify(job, null, 2)}\n`);
    else if (job.state === 'completed') await io.out(`${job.destPath ?? job.title}\n`);
    if (job.state !== 'completed') {
      const reason = job.state === 'paused' || job.state === 'queued' ? 'stopped; run the same command again to resume it' : (job.error?.message ?? job.state);
      throw new CliError(`${job.title}: ${reason}`, job.state === 'queued' ? EXIT.interrupted : EXIT.failed);
    }
  });

  const list = models.command('downloads').description('download jobs: state, progress, speed, errors').option('--json', 'print the jobs as JSON');
  withDataDir(list).action(async (flags: Record<string, unknown>) => {
    const options = parseOptions(list, z.object({ json: z.boolean().default(false), dataDir: dataDirFlag }), flags);
    const jobs = await withCore(options.dataDir, (d) => requestData(d, 'downloads.list', {}));
    if (options.json) return io.out(`${JSON.stringify(jobs, null, 2)}\n`);
    await io.out(formatJobs(jobs));
  });

  const remove = models.command('delete').description('delete a local model file (local/NAME)').argument('<id>', 'the model, as `models list` shows it');
  withDataDir(remove).action(async (id: string, flags: Record<string, unknown>) => {
    const options = parseOptions(remove, z.object({ dataDir: dataDirFlag }), flags);
    const { deleted } = await withCore(options.dataDir, (d) => requestData(d, 'models.delete', { id }, { NOT_FOUND: 'See the models with: switchboard models list' }));
    await io.out(`deleted ${deleted}\n`);
  });
}

/** Polls the job until it ends (or Ctrl-C), printing progress to stderr about once a second. */
async function waitForJob(dispatcher: Dispatcher, started: DownloadJob, io: CliIo): Promise<DownloadJob> {
  let interrupted = false;
  const unregister = io.onInterrupt(() => (interrupted = true));
  let lastLine = 0;
  try {
    for (;;) {
      const job = (await requestData(dispatcher, 'downloads.list', {})).find((j) => j.id === started.id);
      if (job === undefined) throw new CliError(`the download ${started.id} disappeared`, EXIT.failed);
      if (FINAL.has(job.state) || job.state === 'paused') return job;
      if (interrupted) return { ...job, state: 'queued' };
      if (Date.now() - lastLine >= 1_000) {
        lastLine = Date.now();
        io.err(`${progressLine(job)}\n`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    unregister();
  }
}

export function progressLine(job: DownloadJob): string {
  const share = job.total ? ` ${Math.floor((job.bytes / job.total) * 100)}%` : '';
  const size = `${formatBytes(job.bytes)}${job.total ? ` / ${formatBytes(job.total)}` : ''}`;
  const speed = job.speedBps === null ? '' : `  ${formatBytes(job.speedBps)}/s`;
  const eta = job.etaSeconds === null ? '' : `  ETA ${Math.ceil(job.etaSeconds)} s`;
  const note = job.state === 'stalled' && job.error ? `  (${job.error.message})` : '';
  return `${job.title}: ${job.state}${share}  ${size}${speed}${eta}${note}`;
}

function formatRepos(repos: readonly HubRepo[], hubUrl: string): string {
  if (repos.length === 0) return `No GGUF repos found on ${hubUrl}.\n`;
  const rows = repos.flatMap((r) =>
    r.files.map((f) => [r.id, f.path, formatBytes(f.sizeBytes), f.quantization ?? '-', f.fit === null ? '-' : f.fit.mode]),
  );
  return formatTable(['REPO', 'FILE', 'SIZE', 'QUANT', 'FIT'], rows, new Set([2]));
}

function formatJobs(jobs: readonly DownloadJob[]): string {
  if (jobs.length === 0) return 'No downloads.\n';
  const rows = jobs.map((j) => [
    j.id.slice(0, 8),
    j.title,
    j.state,
    j.total ? `${Math.floor((j.bytes / j.total) * 100)}%` : formatBytes(j.bytes),
    j.total === null ? '-' : formatBytes(j.total),
    j.error?.message ?? '',
  ]);
  return formatTable(['ID', 'NAME', 'STATE', 'DONE', 'SIZE', 'ERROR'], rows, new Set([3, 4]));
}
