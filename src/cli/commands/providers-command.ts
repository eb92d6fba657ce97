import type { Command } from 'commander';
import { z } from 'zod';
import type { ProviderTestResult, ProvidersList } from '../../shared/contract';
import { CliError, EXIT } from '../cli-error';
import type { CliIo } from '../cli-io';
import { formatTable } from '../format-table';
import { dataDirFlag, parseOptions, withDataDir } from '../options';
import { requestData } from '../request-data';
import { withCore } from '../with-core';

const listOptionsSchema = z.object({ json: z.boolean().default(false), dataDir: dataDirFlag });
const testOptionsSchema = listOptionsSchema;

export function registerProvidersCommand(program: Command, io: CliIo): void {
  const providers = program.command('providers').description('configured providers (switchboard.yaml in the data dir)');

  const list = providers
    .command('list')
    .description('providers: type, base URL, whether a key is set, problems; and the config file\'s errors')
    .option('--json', 'print the list as JSON');
  withDataDir(list).action(async (flags: Record<string, unknown>) => {
    const options = parseOptions(list, listOptionsSchema, flags);
    const data = await withCore(options.dataDir, (dispatcher) => requestData(dispatcher, 'providers.list', {}));
    await io.out(options.json ? `${JSON.stringify(data, null, 2)}\n` : formatProviders(data));
  });

  const test = providers
    .command('test')
    .description('make a cheap call to each provider (or NAME): ok with latency, or the error kind')
    .argument('[name]', 'only this provider')
    .option('--json', 'print the results as JSON');
  withDataDir(test).action(async (name: string | undefined, flags: Record<string, unknown>) => {
    const options = parseOptions(test, testOptionsSchema, flags);
    const results = await withCore(options.dataDir, (dispatcher) =>
      requestData(dispatcher, 'providers.test', name === undefined ? {} : { name }, {
        NOT_FOUND: 'See the names with: switchboard providers list',
      }),
    );
    await io.out(options.json ? `${JSON.stringify(results, null, 2)}\n` : formatTestResults(results));
    const failed = results.filter((r) => !r.ok).length;
    if (failed > 0) throw new CliError(`${failed} of ${results.length} provider${results.length === 1 ? '' : 's'} failed the test`, EXIT.failed);
  });
}

export function formatProviders(data: ProvidersList): string {
  const rows = data.providers.map((p) => [
    p.name,
    p.type,
    p.baseURL ?? (p.builtIn ? '(built-in engine)' : '-'),
    p.keySet ? `${p.keyHint ?? 'set'} (${p.keySource === 'env' ? 'env' : 'config'})` : '-',
    p.problem === null ? 'ok' : `problem: ${p.problem}`,
  ]);
  let out = formatTable(['NAME', 'TYPE', 'BASE URL', 'KEY', 'STATUS'], rows);
  if (data.config.errors !== null) {
    // A one-shot command loads the file once, so a bad file means no config here at all (only the
    // built-in engine); a running app or serve keeps the config it loaded before the bad edit.
    out += `\n${data.config.path} has problems, so this command runs without it (only the built-in local engine); a running app or serve keeps its last good config. Fix:\n`;
    out += data.config.errors.map((e) => `  ${e.path === '' ? e.message : `${e.path}: ${e.message}`}\n`).join('');
  }
  return out;
}

export function formatTestResults(results: readonly ProviderTestResult[]): string {
  const rows = results.map((r) => [
    r.name,
    r.type,
    r.ok ? 'ok' : (r.error?.kind ?? 'error'),
    `${Math.round(r.latencyMs)} ms`,
    r.ok ? (r.detail ?? '') : (r.error?.message ?? ''),
  ]);
  return formatTable(['NAME', 'TYPE', 'RESULT', 'LATENCY', 'DETAIL'], rows, new Set([3]));
}
