import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataDirLayout } from '../core/config/data-dir';
import { openStore } from '../core/store';
import { callFactory } from '../core/store/testing/usage-fixture';
import { usageSummarySchema } from '../shared/domain';
import { runCli } from './run-cli';
import { memoryIo } from './testing/memory-io';

/** `switchboard usage` against a data dir holding calls whose costs do not add up exactly in floats. */

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sb-cli-usage-'));
  const store = openStore({ path: dataDirLayout(dir).database });
  const call = callFactory('u');
  const at = Date.UTC(2026, 0, 5);
  try {
    // 0.1 + 0.2 is 0.30000000000000004 in floats; a third model's sum stays exact.
    store.calls.insert(call({ startedAt: at, costUsd: 0.1 }));
    store.calls.insert(call({ startedAt: at + 1, costUsd: 0.2 }));
    store.calls.insert(call({ startedAt: at + 2, model: 'gpt-4o', costUsd: 0.0000014 }));
    // A model with no price: its calls' cost is unknown, not 0.
    store.calls.insert(call({ startedAt: at + 3, provider: 'lab', model: 'my-finetune', costUsd: null }));
    store.calls.insert(call({ startedAt: at + 4, provider: 'lab', model: 'my-finetune', costUsd: null }));
  } finally {
    store.close();
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('switchboard usage --json', () => {
  it('prints costs rounded to micro-dollars', async () => {
    const io = memoryIo();
    expect(await runCli(['usage', '--json', '--data-dir', dir], io)).toBe(0);
    expect(io.stdout()).not.toMatch(/\d\.\d{7,}/);
    const summary = usageSummarySchema.parse(JSON.parse(io.stdout()));
    expect(summary.totals).toMatchObject({ calls: 5, costUsd: 0.300001, uncostedCalls: 2 });
    expect(summary.byModel.map((m) => [m.model, m.costUsd, m.uncostedCalls]).sort()).toEqual([
      ['gpt-4o', 0.000001, 0],
      ['gpt-4o-mini', 0.3, 0],
      ['my-finetune', 0, 2],
    ]);
  });
});

describe('switchboard usage', () => {
  it('says a cost is unknown rather than $0 when no call of a model had a price, and counts those calls', async () => {
    const io = memoryIo();
    expect(await runCli(['usage', '--data-dir', dir], io)).toBe(0);
    const lines = io.stdout().split('\n');
    expect(lines.find((l) => l.startsWith('lab/my-finetune'))).toMatch(/\s2\s.*\sunknown$/);
    expect(lines.find((l) => l.startsWith('total'))).toMatch(/\$0\.3000$/);
    expect(io.stdout()).toContain('2 call(s) had no known price (the price catalog does not list their model), so COST leaves them out.');
  });
});
