import type { Command } from 'commander';
import { z } from 'zod';
import type { DeploymentHealthInfo } from '../../shared/contract';
import type { CliIo } from '../cli-io';
import { formatTable } from '../format-table';
import { dataDirFlag, parseOptions, withDataDir } from '../options';
import { requestData } from '../request-data';
import { withCore } from '../with-core';

const healthOptionsSchema = z.object({ json: z.boolean().default(false), dataDir: dataDirFlag });

export function registerHealthCommand(program: Command, io: CliIo): void {
  const command = program
    .command('health')
    .description('the router\'s deployments (groups in switchboard.yaml): success rate, p50/p95 latency and TTFT, breaker, last error')
    .option('--json', 'print the list as JSON');
  withDataDir(command).action(async (flags: Record<string, unknown>) => {
    const options = parseOptions(command, healthOptionsSchema, flags);
    const data = await withCore(options.dataDir, (dispatcher) => requestData(dispatcher, 'health.list', {}));
    await io.out(options.json ? `${JSON.stringify(data, null, 2)}\n` : formatHealth(data.deployments));
  });
}

const ms = (value: number | null) => (value === null ? '-' : `${Math.round(value)} ms`);

export function formatHealth(deployments: readonly DeploymentHealthInfo[]): string {
  if (deployments.length === 0) return 'No deployments: add groups to switchboard.yaml to route through them.\n';
  const rows = deployments.map((d) => [
    d.deploymentId,
    d.provider === null ? '-' : `${d.provider}/${d.model ?? ''}`,
    String(d.requests),
    d.successRate === null ? '-' : `${Math.round(d.successRate * 100)}%`,
    `${ms(d.p50LatencyMs)} / ${ms(d.p95LatencyMs)}`,
    `${ms(d.p50TtftMs)} / ${ms(d.p95TtftMs)}`,
    d.breaker,
    d.lastError === null ? '' : `${d.lastError.kind}: ${d.lastError.message}`,
  ]);
  return formatTable(['DEPLOYMENT', 'MODEL', 'REQUESTS', 'SUCCESS', 'LATENCY p50/p95', 'TTFT p50/p95', 'BREAKER', 'LAST ERROR'], rows, new Set([2, 3]));
}
