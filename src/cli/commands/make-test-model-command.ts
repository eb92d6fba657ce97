import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { dataDirLayout } from '../../core/config/data-dir';
import { writeTestModel } from '../../core/models/test-model';
import type { CliIo } from '../cli-io';
import { formatBytes, formatCount } from '../format-table';
import { dataDirFlag, intFlag, parseOptions, withDataDir } from '../options';

const makeOptionsSchema = z.object({
  out: z
    .string()
    .regex(/\.gguf$/i, 'the file name must end in .gguf')
    .optional(),
  preset: z.enum(['tiny', 'small'], 'expected tiny or small').default('tiny'),
  seed: intFlag(0, 2 ** 32 - 1).optional(),
  json: z.boolean().default(false),
  dataDir: dataDirFlag,
});

export function registerMakeTestModelCommand(program: Command, io: CliIo): void {
  const command = program
    .command('make-test-model')
    .description('write a small GGUF with random weights that the engine can load (for tests and demos)')
    .argument('[out]', 'file to write (default: test-<preset>.gguf in the data dir\'s models folder)')
    .option('--preset <name>', 'tiny or small', 'tiny')
    .option('--seed <n>', 'weights seed; the same seed writes the same file')
    .option('--json', 'print the result as JSON');
  withDataDir(command).action(async (out: string | undefined, flags: Record<string, unknown>) => {
    const options = parseOptions(command, makeOptionsSchema, { ...flags, out });
    const outPath =
      options.out === undefined ? join(dataDirLayout(options.dataDir).models, `test-${options.preset}.gguf`) : resolve(options.out);
    const file = await writeTestModel(outPath, { preset: options.preset, seed: options.seed });
    await io.out(
      options.json
        ? `${JSON.stringify(file)}\n`
        : `Wrote ${file.path} (${formatBytes(file.sizeBytes)}, ${formatCount(file.parameterCount)} parameters)\n`,
    );
  });
}
