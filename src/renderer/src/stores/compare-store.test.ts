import { describe, expect, it, vi } from 'vitest';
import type { CompareColumnResult, CompareRun } from '../../../shared/contract';
import { createClient } from '../ipc';
import { createFakeTransport } from '../ipc/testing/fake-transport';
import { createCompareStore } from './compare-store';

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
const usage = { inputTokens: { total: 5 }, outputTokens: { total: 2 } };
const start = {
  type: 'compare-start',
  runId: 'run1',
  createdAt: 1000,
  columns: [
    { column: 0, model: 'wire/gpt-4o', requestId: 'r0' },
    { column: 1, model: 'claude/claude-haiku-4-5', requestId: 'r1' },
  ],
};
const route = {
  requestId: 'r0',
  attempts: [],
  served: null,
  fallbacks: 0,
  tokens: { input: 5, inputNoCache: null, inputCacheRead: null, inputCacheWrite: null, output: 2, outputText: null, outputReasoning: null },
  costUsd: 0.0001,
  latencyMs: 90,
  ttftMs: 20,
  cached: false,
};

function result(over: Partial<CompareColumnResult>): CompareColumnResult {
  return { column: 0, model: 'wire/gpt-4o', requestId: 'r0', text: '', status: 'complete', error: null, usage: null, latencyMs: 90, ttftMs: 20, route: null, ...over };
}

function setup(answers: Parameters<typeof createFakeTransport>[0] = {}) {
  const fake = createFakeTransport({ 'compare.recent': () => ({ ok: true, data: [] }), ...answers });
  let clock = 1000;
  const flushes: (() => void)[] = [];
  const finished = vi.fn();
  const continued = vi.fn();
  const store = createCompareStore({
    client: createClient(fake.transport, { abortGraceMs: 50 }),
    now: () => clock,
    schedule: (fn) => {
      flushes.push(fn);
      return () => void flushes.splice(flushes.indexOf(fn) >>> 0, 1);
    },
    onRunFinished: finished,
    onContinued: continued,
  });
  store.getState().setModel(0, 'wire/gpt-4o');
  store.getState().setModel(1, 'claude/claude-haiku-4-5');
  return { fake, store, finished, continued, advance: (ms: number) => (clock += ms), frame: () => flushes.splice(0).forEach((fn) => fn()) };
}

describe('compare store', () => {
  it('runs one prompt to the chosen models and streams each column on its own', async () => {
    const t = setup();
    const running = t.store.getState().run({ text: '  capital of France?  ', maxOutputTokens: 50 });
    expect(t.fake.streams[0]!.input).toEqual({ text: 'capital of France?', models: ['wire/gpt-4o', 'claude/claude-haiku-4-5'], maxOutputTokens: 50 });
    expect(t.store.getState()).toMatchObject({ running: true, prompt: 'capital of France?' });
    expect(t.store.getState().columns.map((c) => [c.model, c.status])).toEqual([
      ['wire/gpt-4o', 'streaming'],
      ['claude/claude-haiku-4-5', 'streaming'],
    ]);

    const stream = t.fake.streams[0]!;
    stream.chunk(start);
    t.advance(30);
    stream.chunk({ type: 'column', column: 1, event: { type: 'text-delta', id: 't', delta: 'It is' } });
    await tick();
    t.advance(10);
    stream.chunk({ type: 'column', column: 0, event: { type: 'text-delta', id: 't', delta: 'Paris' } });
    stream.chunk({ type: 'column', column: 1, event: { type: 'text-delta', id: 't', delta: ' Paris.' } });
    stream.chunk({ type: 'column', column: 0, event: { type: 'attempt', attempt: 1, fallbackDepth: 0, group: 'wire/gpt-4o', deployment: 'wire/gpt-4o', provider: 'wire', model: 'gpt-4o', outcome: 'success', errorKind: null, latencyMs: 40, ttftMs: 30 } });
    await tick();
    expect(t.store.getState().runId).toBe('run1');
    expect(t.store.getState().columns.map((c) => c.ttftMs)).toEqual([40, 30]);
    expect(t.store.getState().columns[1]!.text).toBe(''); // deltas wait for the frame
    t.frame();
    expect(t.store.getState().columns.map((c) => c.text)).toEqual(['Paris', 'It is Paris.']);
    expect(t.store.getState().columns[0]!.attempts).toHaveLength(1);

    stream.chunk({ type: 'column', column: 0, event: { type: 'finish', usage, finishReason: { unified: 'stop' } } });
    stream.chunk({ type: 'column-end', result: result({ text: 'Paris', usage, route }) });
    stream.chunk({ type: 'column-end', result: result({ column: 1, model: 'claude/claude-haiku-4-5', requestId: 'r1', text: 'It is Paris.', status: 'complete' }) });
    stream.end();
    await running;
    const [first, second] = t.store.getState().columns;
    expect(first).toMatchObject({ id: 'r0', status: 'complete', text: 'Paris', usage, route });
    expect(second).toMatchObject({ id: 'r1', status: 'complete', text: 'It is Paris.' });
    expect(t.store.getState().running).toBe(false);
    expect(t.finished).toHaveBeenCalledOnce();
    expect(t.fake.requests.map((r) => r.route)).toContain('compare.recent');
  });

  it('an error in one column stays in that column', async () => {
    const t = setup();
    const running = t.store.getState().run({ text: 'hi' });
    const stream = t.fake.streams[0]!;
    stream.chunk(start);
    stream.chunk({ type: 'column', column: 0, event: { type: 'error', error: { kind: 'auth', message: 'bad key', retryable: false } } });
    stream.chunk({ type: 'column', column: 1, event: { type: 'text-delta', id: 't', delta: 'fine' } });
    stream.chunk({ type: 'column-end', result: result({ status: 'error', error: { kind: 'auth', message: 'bad key', retryable: false } }) });
    stream.chunk({ type: 'column-end', result: result({ column: 1, requestId: 'r1', text: 'fine' }) });
    stream.end();
    await running;
    expect(t.store.getState().columns.map((c) => [c.status, c.error?.kind ?? null, c.text])).toEqual([
      ['error', 'auth', ''],
      ['complete', null, 'fine'],
    ]);
    expect(t.store.getState().error).toBeNull();
  });

  it('stops one column through the core, or all by aborting the stream', async () => {
    const t = setup({ 'compare.stop': () => ({ ok: true, data: { stopped: 1 } }) });
    const running = t.store.getState().run({ text: 'long' });
    const stream = t.fake.streams[0]!;
    stream.chunk(start);
    await tick();
    t.store.getState().stop(1);
    await tick();
    expect(t.fake.requests.find((r) => r.route === 'compare.stop')?.input).toEqual({ runId: 'run1', column: 1 });
    expect(stream.aborted).toBe(false);
    stream.chunk({ type: 'column-end', result: result({ column: 1, requestId: 'r1', status: 'aborted', text: 'par' }) });
    await tick();
    expect(t.store.getState().columns[1]!.status).toBe('aborted');
    expect(t.store.getState().columns[0]!.status).toBe('streaming');

    t.store.getState().stop();
    expect(stream.aborted).toBe(true);
    stream.end({ code: 'ABORTED', message: 'aborted' });
    await running;
    expect(t.store.getState().columns.map((c) => c.status)).toEqual(['aborted', 'aborted']);
    expect(t.store.getState().running).toBe(false);
  });

  it('says why a run could not start, and does not start without a model per column or a prompt', async () => {
    const t = setup();
    t.store.getState().addColumn();
    await t.store.getState().run({ text: 'hi' });
    expect(t.store.getState().error).toBe('choose a model for every column');
    t.store.getState().removeColumn(2);
    await t.store.getState().run({ text: '   ' });
    expect(t.store.getState().error).toMatch(/type a prompt/);
    expect(t.fake.streams).toHaveLength(0);

    const running = t.store.getState().run({ text: 'hi' });
    t.fake.streams[0]!.end({ code: 'VALIDATION_FAILED', message: 'models: compare at most 4 models at once' });
    await running;
    expect(t.store.getState().error).toMatch(/at most 4 models/);
    expect(t.store.getState().columns).toEqual([]);
  });

  it('keeps 2 to 4 columns', () => {
    const t = setup();
    t.store.getState().removeColumn(0);
    expect(t.store.getState().models).toHaveLength(2);
    for (let i = 0; i < 5; i++) t.store.getState().addColumn();
    expect(t.store.getState().models).toEqual(['wire/gpt-4o', 'claude/claude-haiku-4-5', null, null]);
  });

  it('re-runs the prompt on screen, shows a recent run, and continues a column in a new chat', async () => {
    const recent: CompareRun = {
      runId: 'old', text: 'earlier question', attachments: [], createdAt: 5, running: false,
      columns: [result({ text: 'a', requestId: 'x0' }), result({ column: 1, model: 'local/tiny', requestId: 'x1', text: 'b' })],
    };
    const t = setup({
      'compare.recent': () => ({ ok: true, data: [recent] }),
      'compare.continue': (input) => ((input as { column: number }).column === 1 ? { ok: true, data: { conversationId: 'c9' } } : { ok: false, error: { code: 'CONFLICT', message: 'no answer to continue from' } }),
    });
    await t.store.getState().loadRecent();
    t.store.getState().show('old');
    expect(t.store.getState()).toMatchObject({ runId: 'old', prompt: 'earlier question', models: ['wire/gpt-4o', 'local/tiny'] });
    expect(t.store.getState().columns.map((c) => c.text)).toEqual(['a', 'b']);

    expect(await t.store.getState().continueInChat(1)).toBe('c9');
    expect(t.fake.requests.find((r) => r.route === 'compare.continue')?.input).toEqual({ runId: 'old', column: 1 });
    expect(t.continued).toHaveBeenCalledWith('c9');
    expect(await t.store.getState().continueInChat(0)).toBeNull();
    expect(t.store.getState().error).toMatch(/no answer to continue from/);

    const again = t.store.getState().rerun();
    expect(t.fake.streams[0]!.input).toEqual({ text: 'earlier question', models: ['wire/gpt-4o', 'local/tiny'] });
    t.fake.streams[0]!.end();
    await again;
  });

  it('deletes a recent run, off the screen too when shown; a refusal says why and keeps it', async () => {
    const run = (runId: string): CompareRun => ({ runId, text: `q ${runId}`, attachments: [], createdAt: 5, running: false, columns: [result({ text: 'a' }), result({ column: 1, text: 'b' })] });
    let stored = [run('a'), run('b'), run('c')];
    const t = setup({
      'compare.recent': () => ({ ok: true, data: stored }),
      'compare.delete': (input) => {
        const { runId } = input as { runId: string };
        if (runId === 'c') return { ok: false, error: { code: 'CONFLICT', message: 'this comparison is still running; stop it first' } };
        if (!stored.some((r) => r.runId === runId)) return { ok: false, error: { code: 'NOT_FOUND', message: `no comparison "${runId}"` } };
        stored = stored.filter((r) => r.runId !== runId);
        return { ok: true, data: { deleted: true } };
      },
    });
    await t.store.getState().loadRecent();
    t.store.getState().show('a');
    expect(await t.store.getState().remove('b')).toBe(true);
    expect(t.fake.requests.find((r) => r.route === 'compare.delete')?.input).toEqual({ runId: 'b' });
    expect(t.store.getState().recent.map((r) => r.runId)).toEqual(['a', 'c']);
    expect(t.store.getState()).toMatchObject({ runId: 'a', prompt: 'q a' });

    expect(await t.store.getState().remove('a')).toBe(true);
    expect(t.store.getState()).toMatchObject({ runId: null, prompt: '', columns: [], recent: [run('c')] });

    expect(await t.store.getState().remove('c')).toBe(false);
    expect(t.store.getState().error).toMatch(/still running/);
    expect(t.store.getState().recent.map((r) => r.runId)).toEqual(['c']);

    // Gone already (deleted in another window): off the list, no error.
    stored = [run('d')];
    await t.store.getState().loadRecent();
    stored = [];
    t.store.setState({ error: null });
    expect(await t.store.getState().remove('d')).toBe(true);
    expect(t.store.getState()).toMatchObject({ recent: [], error: null });
  });
});
