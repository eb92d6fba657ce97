import type { Command } from 'commander';
import { z } from 'zod';
import { dataDirLayout } from '../../core/config/data-dir';
import type { LocalModelEntry } from '../../shared/domain';
import type { CliIo } from '../cli-io';
import { formatBytes, formatCount, formatTable } from '../format-table';
import { dataDirFlag, parseOptions, withDataDir } from '../options';
import { requestData } from '../request-data';
import { withCore } from '../with-core';

const listOptionsSchema = z.object({ json: z.boolean().default(false), dataDir: dataDirFlag });

export function registerModelsCommand(program: Command, io: CliIo): void {
  const models = program.command('models').description('local models');
  const list = models.command('list').description('local GGUF models: size, architecture, quantization, context, errors').option('--json', 'print the list as JSON');
  withDataDir(list).action(async (flags: Record<string, unknown>) => {
    const options = parseOptions(list, listOptionsSchema, flags);
    const entries = await withCore(options.dataDir, (dispatcher) => requestData(dispatcher, 'models.local.list', {}));
    if (options.json) {
      await io.out(`${JSON.stringify(entries, null, 2)}\n`);
      return;
    }
    await io.out(formatModels(entries, dataDirLayout(options.dataDir).models));
  });
}

export function formatModels(entries: readonly LocalModelEntry[], modelsDir: string): string {
  if (entries.length === 0) {
    return `No local models in ${modelsDir}.\nCopy .gguf files there, or write a small one: switchboard make-test-model\n`;
  }
  const rows = entries.map((m) => [
    m.id,
    formatBytes(m.sizeBytes),
    m.parameterCount === null ? '-' : formatCount(m.parameterCount),
    m.architecture ?? '-',
    m.quantization ?? '-',
    m.contextLength === null ? '-' : String(m.contextLength),
    m.error === null ? 'ok' : `error: ${m.error}`,
  ]);
  return formatTable(['ID', 'SIZE', 'PARAMS', 'ARCH', 'QUANT', 'CONTEXT', 'STATUS'], rows, new Set([1, 2, 5]));
}
