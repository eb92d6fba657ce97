import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTestModel } from '../core/models/test-model';
import { usageSummarySchema } from '../shared/domain';
import type { CliIo } from './cli-io';
import { runCli } from './run-cli';

/**
 * Ctrl-C, in process: the io fires the interrupt handler as the first text arrives,
 * so the abort lands mid-stream without racing a real signal against the model.
 */
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'sb-cli-int-'));
  await writeTestModel(join(dataDir, 'models', 'tiny.gguf'), { preset: 'tiny', seed: 7 });
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

function interruptingIo(): CliIo & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  let interrupt: (() => void) | undefined;
  return {
    out: async (text) => {
      out += text;
      interrupt?.();
      interrupt = undefined;
    },
    err: (text) => void (err += text),
    onInterrupt(handler) {
      interrupt = handler;
      return () => (interrupt = undefined);
    },
    stdout: () => out,
    stderr: () => err,
  };
}

describe('chat interrupted', () => {
  it('aborts the call, exits 130 and the call is recorded as aborted', async () => {
    const io = interruptingIo();
    const code = await runCli(['chat', '--model', 'local/tiny', '--max-tokens', '1000', 'hi', '--data-dir', dataDir], io);
    expect(io.stderr()).toBe('switchboard: chat: aborted\n');
    expect(code).toBe(130);
    expect(io.stdout().length).toBeGreaterThan(0);

    const usageIo = interruptingIo();
    expect(await runCli(['usage', '--json', '--data-dir', dataDir], usageIo)).toBe(0);
    const summary = usageSummarySchema.parse(JSON.parse(usageIo.stdout()));
    expect(summary.byOutcome.aborted).toBe(1);
  });
});
