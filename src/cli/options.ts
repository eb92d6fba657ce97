import { resolve } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { defaultDataDir } from '../core/config/data-dir';
import { CliError, EXIT } from './cli-error';

/**
 * Commander hands over strings; every option is then checked with zod here,
 * and a failure names the flag as the user typed it.
 */
export function parseOptions<S extends z.ZodType>(command: Command, schema: S, values: unknown): z.output<S> {
  const result = schema.safeParse(values);
  if (result.success) return result.data;
  const flags = new Map(command.options.map((o) => [o.attributeName(), o.long ?? o.flags]));
  const lines = result.error.issues.map((issue) => {
    const key = String(issue.path[0] ?? '');
    return `${flags.get(key) ?? (key || 'arguments')}: ${issue.message}`;
  });
  throw new CliError(`${lines.join('\n')}\n(see switchboard ${command.name()} --help)`, EXIT.usage);
}

/** A whole decimal number within [min, max], from a flag's text. */
export const intFlag = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, `expected a whole number from ${min} to ${max}`)
    .transform(Number)
    .pipe(z.number().int().min(min, `expected at least ${min}`).max(max, `expected at most ${max}`));

/** A decimal number within [min, max], from a flag's text. */
export const numberFlag = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+(\.\d+)?$/, `expected a number from ${min} to ${max}`)
    .transform(Number)
    .pipe(z.number().min(min, `expected at least ${min}`).max(max, `expected at most ${max}`));

/** `--data-dir`: made absolute against the cwd, so a relative path means what the user sees. */
export const dataDirFlag = z
  .string()
  .min(1, 'expected a folder path')
  .transform((dir) => resolve(dir));

/** A date as ISO text (2026-11-01, 2026-11-01T12:00Z) or epoch milliseconds → epoch milliseconds. */
export const dateFlag = z.string().transform((text, ctx) => {
  const ms = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(ms) || ms < 0) {
    ctx.addIssue({ code: 'custom', message: 'expected a date such as 2026-11-01 or epoch milliseconds' });
    return z.NEVER;
  }
  return ms;
});

export const DATA_DIR_FLAGS = '--data-dir <dir>';
export const DATA_DIR_HELP = 'the data folder (models, database, config)';

/** Adds `--data-dir` with the platform default, shown in --help. */
export function withDataDir(command: Command): Command {
  return command.option(DATA_DIR_FLAGS, DATA_DIR_HELP, defaultDataDir());
}
