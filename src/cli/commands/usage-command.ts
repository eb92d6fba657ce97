import type { Command } from 'commander';
import { z } from 'zod';
import type { UsageSummary } from '../../shared/domain';
import type { CliIo } from '../cli-io';
import { formatTable } from '../format-table';
import { dataDirFlag, dateFlag, parseOptions, withDataDir } from '../options';
import { requestData } from '../request-data';
import { withCore } from '../with-core';

const usageOptionsSchema = z.object({
  from: dateFlag.optional(),
  to: dateFlag.optional(),
  json: z.boolean().default(false),
  dataDir: dataDirFlag,
});

export function registerUsageCommand(program: Command, io: CliIo): void {
  const command = program
    .command('usage')
    .description('calls, tokens and cost, per model')
    .option('--from <date>', 'only calls at or after this date (ISO or epoch ms)')
    .option('--to <date>', 'only calls before this date (ISO or epoch ms)')
    .option('--json', 'print the summary as JSON');
  withDataDir(command).action(async (flags: Record<string, unknown>) => {
    const options = parseOptions(command, usageOptionsSchema, flags);
    const summary = await withCore(options.dataDir, (dispatcher) =>
      requestData(dispatcher, 'usage.summary', { from: options.from, to: options.to }),
    );
    await io.out(options.json ? `${JSON.stringify(roundCosts(summary), null, 2)}\n` : formatUsage(summary));
  });
}

/** Costs to whole micro-dollars: sums of float costs print as 0.30000000000000004 otherwise. */
const MICRO_DOLLARS = 1e6;
const roundCost = (usd: number) => Math.round(usd * MICRO_DOLLARS) / MICRO_DOLLARS;

/** The summary as `--json` prints it: the store keeps exact sums, the output rounds them. */
export function roundCosts(summary: UsageSummary): UsageSummary {
  return {
    ...summary,
    totals: { ...summary.totals, costUsd: roundCost(summary.totals.costUsd) },
    byModel: summary.byModel.map((m) => ({ ...m, costUsd: roundCost(m.costUsd) })),
  };
}

export function formatUsage(summary: UsageSummary): string {
  if (summary.totals.calls === 0) return 'No calls recorded yet.\n';
  const row = (name: string, t: UsageSummary['totals']) => [
    name,
    String(t.calls),
    String(t.inputTokens),
    String(t.outputTokens),
    // None of its calls had a price: "$0.0000" would read as free.
    t.uncostedCalls === t.calls ? 'unknown' : `$${t.costUsd.toFixed(4)}`,
  ];
  // Local model ids already carry their provider (`local/name`); don't print it twice.
  const name = (m: UsageSummary['byModel'][number]) => (m.model.startsWith(`${m.provider}/`) ? m.model : `${m.provider}/${m.model}`);
  const rows = [...summary.byModel.map((m) => row(name(m), m)), row('total', summary.totals)];
  const outcomes = Object.entries(summary.byOutcome)
    .filter(([, n]) => n > 0)
    .map(([outcome, n]) => `${outcome} ${n}`)
    .join(', ');
  const uncosted = summary.totals.uncostedCalls;
  const note =
    uncosted === 0
      ? ''
      : `${uncosted} call(s) had no known price (the price catalog does not list their model), so COST leaves them out.\n`;
  return `${formatTable(['MODEL', 'CALLS', 'INPUT', 'OUTPUT', 'COST'], rows, new Set([1, 2, 3, 4]))}\nOutcomes: ${outcomes}\n${note}`;
}
