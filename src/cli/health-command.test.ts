import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthContract } from '../shared/contract';
import { formatHealth } from './commands/health-command';
import { runCli } from './run-cli';
import { memoryIo } from './testing/memory-io';

/** `switchboard health` against a data dir whose switchboard.yaml has groups. */

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sb-cli-health-'));
  writeFileSync(
    join(dir, 'switchboard.yaml'),
    [
      'providers:',
      '  wire: { type: openai, baseURL: "http://127.0.0.1:9/v1", apiKey: sk-test-health-00001111 }',
      'groups:',
      '  smart:',
      '    deployments:',
      '      - { provider: wire, model: gpt-4o-mini }',
      '      - { provider: local, model: tiny }',
    ].join('\n'),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = async (...args: string[]) => {
  const io = memoryIo();
  const code = await runCli([...args, '--data-dir', dir], io);
  return { code, stdout: io.stdout(), stderr: io.stderr() };
};

describe('switchboard health', () => {
  it('--json lists every deployment of the configured groups', async () => {
    const res = await run('health', '--json');
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const data = healthContract['health.list'].output.parse(JSON.parse(res.stdout));
    expect(data.deployments.map((d) => [d.deploymentId, d.group, d.provider, d.model, d.breaker, d.requests, d.successRate])).toEqual([
      ['smart#0', 'smart', 'wire', 'gpt-4o-mini', 'closed', 0, null],
      ['smart#1', 'smart', 'local', 'tiny', 'closed', 0, null],
    ]);
  });

  it('prints a table', async () => {
    const res = await run('health');
    expect(res.code).toBe(0);
    expect(res.stdout.split('\n')[0]).toMatch(/^DEPLOYMENT\s+MODEL\s+REQUESTS\s+SUCCESS\s+LATENCY p50\/p95\s+TTFT p50\/p95\s+BREAKER\s+LAST ERROR$/);
    expect(res.stdout).toMatch(/smart#0\s+wire\/gpt-4o-mini\s+0\s+-\s+- \/ -\s+- \/ -\s+closed/);
  });

  it('formats rates, latencies and the last error', () => {
    const out = formatHealth([
      {
        deploymentId: 'g#0', group: 'g', provider: 'a', model: 'm', requests: 4, successRate: 0.75,
        p50LatencyMs: 120.4, p95LatencyMs: 300, p50TtftMs: 40, p95TtftMs: 90, breaker: 'open',
        lastError: { kind: 'server', message: 'boom', at: 1 },
      },
    ]);
    expect(out).toMatch(/g#0\s+a\/m\s+4\s+75%\s+120 ms \/ 300 ms\s+40 ms \/ 90 ms\s+open\s+server: boom/);
    expect(formatHealth([])).toContain('No deployments');
  });
});
