import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { encodePng } from '../../../test/images/encode-png';
import { startAnthropicWire } from '../../../test/wire/anthropic-wire';
import { startOpenAIWire } from '../../../test/wire/openai-wire';
import type { WireServer } from '../../../test/wire/scenario';
import { type CompareEvent, type CompareRun, type ContractError } from '../../shared/contract';
import { type AttachmentRef, type ConversationDetail } from '../../shared/domain';
import { type Core, createCore } from '../app';
import { type WireCore, startWireCore } from '../testing/wire-core';
import { dataDirLayout } from '../config/data-dir';
import { openStore } from '../store';

/**
 * Compare through the composed core: each column a routed call to a real SDK against a wire
 * server (or the engine on a tiny GGUF), recorded with client `compare`.
 */
let fixture: WireCore<'OPENAI_WIRE' | 'ANTHROPIC_WIRE'>;
let dir: string;
let core: Core;
let openai: WireServer;
let claude: WireServer;

beforeAll(async () => {
  fixture = await startWireCore({
    prefix: 'sb-compare-',
    wires: { OPENAI_WIRE: startOpenAIWire, ANTHROPIC_WIRE: startAnthropicWire },
    tinyModel: true,
    client: 'ws',
    config: [
      'providers:',
      '  wire: { type: openai, baseURL: ${OPENAI_WIRE}, apiKey: sk-test-compare-0000111122223333 }',
      '  claude: { type: anthropic, baseURL: ${ANTHROPIC_WIRE}, apiKey: sk-ant-test-compare-000011112222 }',
      'groups:',
      '  smart:',
      '    deployments:',
      '      - { provider: wire, model: gpt-4o }',
      '    fallbacks: [backup]',
      '  backup:',
      '    deployments: [{ provider: claude, model: claude-haiku-4-5 }]',
      'router: { maxRetries: 0 }',
      '',
    ].join('\n'),
  });
  ({ dir, core } = fixture);
  ({ OPENAI_WIRE: openai, ANTHROPIC_WIRE: claude } = fixture.wires);
});
afterAll(async () => {
  await fixture?.close();
});

interface Run {
  events: CompareEvent[];
  error: ContractError | undefined;
  start: Extract<CompareEvent, { type: 'compare-start' }>;
  ends: Extract<CompareEvent, { type: 'column-end' }>['result'][];
  text: (column: number) => string;
}

/** Runs `compare.run` through the dispatcher to its end; `onEvent` may stop columns or abort. */
async function compare(input: unknown, onEvent?: (event: CompareEvent, abort: () => void) => void | Promise<void>): Promise<Run> {
  const opened = core.dispatcher.stream('compare.run', input, 'ws');
  if (!opened.ok) return { events: [], error: opened.error, start: undefined as never, ends: [], text: () => '' };
  const events: CompareEvent[] = [];
  let error: ContractError | undefined;
  try {
    for await (const chunk of opened.data.chunks) {
      events.push(chunk as CompareEvent);
      await onEvent?.(chunk as CompareEvent, opened.data.abort);
    }
  } catch (thrown) {
    error = core.dispatcher.streamError(thrown);
  }
  const start = events.find((e) => e.type === 'compare-start') as Run['start'];
  const ends = events.flatMap((e) => (e.type === 'column-end' ? [e.result] : []));
  const text = (column: number) =>
    events.map((e) => (e.type === 'column' && e.column === column && e.event.type === 'text-delta' ? e.event.delta : '')).join('');
  return { events, error, start, ends, text };
}

interface Row {
  request_id: string;
  attempt: number;
  provider: string;
  model: string;
  deployment: string | null;
  outcome: string | null;
  error_kind: string | null;
  client: string;
  input_tokens: number | null;
  output_tokens: number | null;
  cost_usd: number | null;
}

const rowsOf = (requestId: string): Row[] => fixture.rowsOf<Row>(requestId);
const request = <T,>(route: string, input: unknown): Promise<T> => fixture.request<T>(route, input);

describe('compare: one prompt to several models', () => {
  it('streams two providers side by side, each column with its own route, tokens, cost and timings, recorded as client compare', async () => {
    openai.enqueue({ text: ['Paris', ' is', ' the', ' capital.'], usage: { input: 12, output: 4 }, delayMs: 5 });
    claude.enqueue({ text: ['It', ' is', ' Paris.'], usage: { input: 14, output: 3 }, delayMs: 5 });
    const run = await compare({ text: 'What is the capital of France?', models: ['wire/gpt-4o', 'claude/claude-haiku-4-5'] });
    expect(run.error).toBeUndefined();
    expect(run.start.columns.map((c) => [c.column, c.model])).toEqual([[0, 'wire/gpt-4o'], [1, 'claude/claude-haiku-4-5']]);
    expect(run.text(0)).toBe('Paris is the capital.');
    expect(run.text(1)).toBe('It is Paris.');
    // Both providers got the same prompt through their own SDK.
    expect(JSON.stringify(openai.requests.at(-1)?.body)).toContain('What is the capital of France?');
    expect(JSON.stringify(claude.requests.at(-1)?.body)).toContain('What is the capital of France?');

    const byColumn = [...run.ends].sort((a, b) => a.column - b.column);
    expect(byColumn.map((r) => [r.status, r.text, r.usage?.inputTokens.total, r.usage?.outputTokens.total])).toEqual([
      ['complete', 'Paris is the capital.', 12, 4],
      ['complete', 'It is Paris.', 14, 3],
    ]);
    for (const result of byColumn) {
      expect(result.latencyMs).toBeGreaterThanOrEqual(0);
      expect(result.ttftMs).not.toBeNull();
      expect(result.route?.served).toMatchObject({ outcome: 'success' });
      expect(result.route?.costUsd).toBeGreaterThan(0);
    }
    expect(byColumn[0]?.route?.tokens).toMatchObject({ input: 12, output: 4 });
    expect(byColumn[1]?.route?.served).toMatchObject({ provider: 'claude', model: 'claude-haiku-4-5' });

    for (const c of run.start.columns) {
      expect(rowsOf(c.requestId)).toMatchObject([{ attempt: 1, outcome: 'success', client: 'compare' }]);
    }
    // In the usage the dashboard reads.
    const usage = await request<{ byModel: { model: string; calls: number }[] }>('usage.summary', {});
    expect(usage.byModel.map((m) => m.model)).toEqual(expect.arrayContaining(['gpt-4o', 'claude-haiku-4-5']));
  });

  it('an error in one column ends that column only; a group column shows the fallback that served it', async () => {
    // Column 0: a direct ref whose key is refused (auth: not retried). Column 1: the group falls back to Claude.
    openai.enqueue({ fault: { kind: 'status', status: 401, message: 'bad key' } }, { fault: { kind: 'status', status: 500 } });
    claude.enqueue({ text: ['from', ' the', ' fallback'], usage: { input: 5, output: 3 } });
    const run = await compare({ text: 'hello', models: ['wire/gpt-4o-mini', 'smart'] });
    expect(run.error).toBeUndefined();
    const [failed, served] = [...run.ends].sort((a, b) => a.column - b.column);
    expect(failed).toMatchObject({ status: 'error', error: { kind: 'auth' }, text: '' });
    expect(served).toMatchObject({ status: 'complete', text: 'from the fallback' });
    expect(served?.route?.fallbacks).toBe(1);
    expect(served?.route?.attempts.map((a) => [a.deployment, a.outcome])).toEqual([
      ['smart#0', 'error'],
      ['backup#0', 'success'],
    ]);
    // The live attempt events went out in the group's column.
    const attempts = run.events.filter((e) => e.type === 'column' && e.event.type === 'attempt');
    expect(attempts.map((e) => (e.type === 'column' ? e.column : -1))).toEqual([0, 1, 1]);
    expect(rowsOf(run.start.columns[0]!.requestId)).toMatchObject([{ outcome: 'error', error_kind: 'auth', client: 'compare' }]);
    expect(rowsOf(run.start.columns[1]!.requestId).map((r) => [r.deployment, r.outcome, r.client])).toEqual([
      ['smart#0', 'error', 'compare'],
      ['backup#0', 'success', 'compare'],
    ]);
  });

  it('an unknown model is that column\'s error, recorded as a request-level row; the other column answers', async () => {
    claude.enqueue({ text: ['fine'] });
    const run = await compare({ text: 'hello', models: ['nowhere-model', 'claude/claude-haiku-4-5'] });
    const [unknown, ok] = [...run.ends].sort((a, b) => a.column - b.column);
    expect(unknown).toMatchObject({ status: 'error', error: { kind: 'not_found' } });
    expect(ok).toMatchObject({ status: 'complete', text: 'fine' });
    expect(rowsOf(run.start.columns[0]!.requestId)).toMatchObject([{ attempt: 0, provider: 'router', outcome: 'error', client: 'compare' }]);
  });

  it('stops one column while the other runs to its end, and stopping the stream stops all', async () => {
    openai.enqueue({ text: Array.from({ length: 40 }, (_, i) => `w${i} `), delayMs: 25 });
    claude.enqueue({ text: ['short', ' answer'], delayMs: 30 });
    let stopped: number | undefined;
    let runId = '';
    const run = await compare({ text: 'go', models: ['wire/gpt-4o', 'claude/claude-haiku-4-5'] }, async (event) => {
      if (event.type === 'compare-start') runId = event.runId;
      if (stopped === undefined && event.type === 'column' && event.column === 0 && event.event.type === 'text-delta') {
        stopped = (await request<{ stopped: number }>('compare.stop', { runId, column: 0 })).stopped;
      }
    });
    expect(stopped).toBe(1);
    const [cut, whole] = [...run.ends].sort((a, b) => a.column - b.column);
    expect(cut?.status).toBe('aborted');
    expect(cut?.text.length).toBeLessThan(Array.from({ length: 40 }, (_, i) => `w${i} `).join('').length);
    expect(whole).toMatchObject({ status: 'complete', text: 'short answer' });
    expect(rowsOf(run.start.columns[0]!.requestId)).toMatchObject([{ outcome: 'aborted', client: 'compare' }]);

    openai.enqueue({ text: Array.from({ length: 40 }, (_, i) => `a${i} `), delayMs: 25 });
    claude.enqueue({ text: Array.from({ length: 40 }, (_, i) => `b${i} `), delayMs: 25 });
    let aborted = false;
    const all = await compare({ text: 'go again', models: ['wire/gpt-4o', 'claude/claude-haiku-4-5'] }, (event, abort) => {
      if (!aborted && event.type === 'column' && event.event.type === 'text-delta') {
        aborted = true;
        abort();
      }
    });
    await waitFor(() => all.start.columns.every((c) => rowsOf(c.requestId).every((r) => r.outcome !== null)));
    for (const c of all.start.columns) expect(rowsOf(c.requestId)).toMatchObject([{ outcome: 'aborted' }]);
    const recent = await request<CompareRun[]>('compare.recent', { limit: 1 });
    expect(recent[0]?.running).toBe(false);
    expect(recent[0]?.columns.map((c) => c.status)).toEqual(['aborted', 'aborted']);
  });

  it('compares a local GGUF model with a cloud one, and continues one answer in a new chat', async () => {
    openai.enqueue({ text: ['cloud', ' answer'], usage: { input: 6, output: 2 } });
    const run = await compare({ text: 'Say something', models: ['local/tiny', 'wire/gpt-4o'], maxOutputTokens: 6, temperature: 0 });
    const [local, cloud] = [...run.ends].sort((a, b) => a.column - b.column);
    expect(local?.status).toBe('complete');
    expect(local?.text.length).toBeGreaterThan(0);
    expect(local?.route?.served).toMatchObject({ provider: 'local', outcome: 'success' });
    expect(local?.route?.costUsd).toBe(0);
    expect(cloud?.text).toBe('cloud answer');

    const recent = await request<CompareRun[]>('compare.recent', { limit: 5 });
    expect(recent[0]).toMatchObject({ runId: run.start.runId, text: 'Say something', running: false });

    const { conversationId } = await request<{ conversationId: string }>('compare.continue', { runId: run.start.runId, column: 1 });
    const detail = await request<ConversationDetail>('conversations.get', { id: conversationId });
    expect(detail.conversation).toMatchObject({ title: 'Say something', model: 'wire/gpt-4o' });
    expect(detail.messages.map((m) => [m.role, m.text, m.status])).toEqual([
      ['user', 'Say something', 'complete'],
      ['assistant', 'cloud answer', 'complete'],
    ]);
    // Its route is the column's calls rows: the chat shows the same deployment, tokens and cost.
    expect(detail.messages[1]?.route?.served).toMatchObject({ provider: 'wire', outcome: 'success' });

    // The chat goes on from there with the whole history.
    openai.enqueue({ text: ['more'] });
    const opened = core.dispatcher.stream('chat.send', { conversationId, model: 'wire/gpt-4o', text: 'and then?' }, 'ws');
    if (!opened.ok) throw new Error(opened.error.message);
    for await (const _ of opened.data.chunks);
    expect(JSON.stringify(openai.requests.at(-1)?.body)).toContain('cloud answer');
  }, 60_000);

  it('sends stored images to every column', async () => {
    const png = encodePng(3, 2);
    const ref = await request<AttachmentRef>('attachments.put', { data: png.toString('base64'), name: 'dot.png' });
    openai.enqueue({ text: ['a dot'] });
    claude.enqueue({ text: ['a small dot'] });
    const run = await compare({ text: 'what is this?', models: ['wire/gpt-4o', 'claude/claude-haiku-4-5'], attachments: [ref.id] });
    expect(run.ends.every((r) => r.status === 'complete')).toBe(true);
    expect(JSON.stringify(openai.requests.at(-1)?.body)).toContain(`data:image/png;base64,${png.toString('base64')}`);
    expect(JSON.stringify(claude.requests.at(-1)?.body)).toContain(png.toString('base64'));
    const recent = await request<CompareRun[]>('compare.recent', { limit: 1 });
    expect(recent[0]?.attachments).toEqual([ref]);
  });

  it('refuses bad input before anything is sent or recorded, with what to fix', async () => {
    const before = openai.requests.length + claude.requests.length;
    const one = await compare({ text: 'hi', models: ['wire/gpt-4o'] });
    expect(one.error).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(one.error?.message).toMatch(/at least 2 models/);
    const five = await compare({ text: 'hi', models: ['a/1', 'a/2', 'a/3', 'a/4', 'a/5'] });
    expect(five.error?.message).toMatch(/at most 4 models/);
    const empty = await compare({ text: '   ', models: ['wire/gpt-4o', 'claude/claude-haiku-4-5'] });
    expect(empty.error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/type a prompt/) });
    const missing = await compare({ text: 'look', models: ['wire/gpt-4o', 'claude/claude-haiku-4-5'], attachments: ['c'.repeat(64)] });
    expect(missing.error).toMatchObject({ code: 'NOT_FOUND' });
    expect(openai.requests.length + claude.requests.length).toBe(before);

    expect(await core.dispatcher.request('compare.continue', { runId: 'nope', column: 0 }, 'ws')).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    claude.enqueue({ text: ['fine'] });
    const failedRun = await compare({ text: 'hello', models: ['nowhere-model', 'claude/claude-haiku-4-5'] });
    const refused = await core.dispatcher.request('compare.continue', { runId: failedRun.start.runId, column: 0 }, 'ws');
    expect(await core.dispatcher.request('compare.continue', { runId: failedRun.start.runId, column: 3 }, 'ws')).toMatchObject({
      ok: false, error: { code: 'NOT_FOUND', message: expect.stringMatching(/has no column 3/) },
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringMatching(/no answer to continue/) } });
  });
});

describe('deleting a comparison', () => {
  const DAY = 24 * 60 * 60 * 1000;
  /** An image file as an earlier run of the app left it: stored, not put by this process, two days old. */
  function oldImage(width: number): AttachmentRef {
    const png = encodePng(width, 1);
    const id = createHash('sha256').update(png).digest('hex');
    const path = join(dir, 'attachments', id);
    mkdirSync(join(dir, 'attachments'), { recursive: true });
    writeFileSync(path, png);
    const then = new Date(Date.now() - 2 * DAY);
    utimesSync(path, then, then);
    return { id, mediaType: 'image/png', size: png.length };
  }
  const stored = (id: string) => existsSync(join(dir, 'attachments', id));

  it('deletes one run (not while it runs); its calls rows stay, and images only it used are swept', async () => {
    const [only, shared] = [oldImage(5), oldImage(6)];
    openai.enqueue({ text: ['kept'] });
    claude.enqueue({ text: ['kept'] });
    const models = ['wire/gpt-4o', 'claude/claude-haiku-4-5'];
    const kept = await compare({ text: 'keep me', models, attachments: [shared.id] });
    // A run still streaming can't be deleted.
    openai.enqueue({ text: Array.from({ length: 30 }, (_, i) => `s${i} `), delayMs: 20 });
    claude.enqueue({ text: ['quick'] });
    let refused: unknown;
    let runId = '';
    const slow = await compare({ text: 'delete me', models, attachments: [only.id, shared.id] }, async (event) => {
      if (event.type === 'compare-start') runId = event.runId;
      if (refused === undefined && event.type === 'column' && event.column === 0 && event.event.type === 'text-delta') {
        refused = await core.dispatcher.request('compare.delete', { runId }, 'ws');
      }
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringMatching(/still running/) } });
    expect(slow.ends.every((r) => r.status === 'complete')).toBe(true);
    expect(stored(only.id) && stored(shared.id)).toBe(true);

    expect(await request('compare.delete', { runId: slow.start.runId })).toEqual({ deleted: true });
    const recent = await request<CompareRun[]>('compare.recent', { limit: 50 });
    expect(recent.map((r) => r.runId)).not.toContain(slow.start.runId);
    expect(recent.map((r) => r.runId)).toContain(kept.start.runId);
    // Usage is never lost: the columns' calls rows stay.
    for (const c of slow.start.columns) expect(rowsOf(c.requestId)).toMatchObject([{ outcome: 'success', client: 'compare' }]);
    // The sweep after the delete takes the image only that run used; the other run keeps its own.
    await vi.waitFor(() => expect(stored(only.id)).toBe(false));
    expect(stored(shared.id)).toBe(true);

    expect(await core.dispatcher.request('compare.delete', { runId: slow.start.runId }, 'ws')).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await core.dispatcher.request('compare.delete', { runId: '' }, 'ws')).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(condition()).toBe(true);
}

describe('compare at shutdown', () => {
  it('stops the columns in flight and records them before the database closes', async () => {
    const own = mkdtempSync(join(tmpdir(), 'sb-compare-shutdown-'));
    writeFileSync(join(own, 'switchboard.yaml'), 'providers:\n  wire: { type: openai, baseURL: ${OPENAI_WIRE}, apiKey: sk-test-compare-0000111122223333 }\n');
    const second = await createCore({ dataDir: own, engineOptions: { threads: 1 }, env: { OPENAI_WIRE: openai.baseURL } });
    try {
      const slow = { text: Array.from({ length: 50 }, (_, i) => `t${i} `), delayMs: 40 };
      openai.enqueue(slow, slow);
      const opened = second.dispatcher.stream('compare.run', { text: 'long', models: ['wire/gpt-4o', 'wire/gpt-4o-mini'] }, 'ws');
      if (!opened.ok) throw new Error(opened.error.message);
      const requestIds: string[] = [];
      const ends: string[] = [];
      let streaming!: () => void;
      const firstToken = new Promise<void>((resolve) => (streaming = resolve));
      // Still reading: it is the shutdown, not a reader that left, that stops the columns.
      const reading = (async () => {
        for await (const chunk of opened.data.chunks) {
          const event = chunk as CompareEvent;
          if (event.type === 'compare-start') requestIds.push(...event.columns.map((c) => c.requestId));
          if (event.type === 'column' && event.event.type === 'text-delta') streaming();
          if (event.type === 'column-end') ends.push(event.result.status);
        }
      })();
      await firstToken;
      await second.dispose();
      await reading;
      expect(ends).toEqual(['aborted', 'aborted']);

      // After a restart the run is still there, with what each column had written.
      const again = await createCore({ dataDir: own, engineOptions: { threads: 1 }, env: { OPENAI_WIRE: openai.baseURL } });
      try {
        const result = await again.dispatcher.request('compare.recent', { limit: 5 }, 'ws');
        const runs = (result as { data: CompareRun[] }).data;
        expect(runs).toHaveLength(1);
        expect(runs[0]).toMatchObject({ text: 'long', running: false });
        expect(runs[0]?.columns.map((c) => [c.status, c.requestId])).toEqual([['aborted', requestIds[0]], ['aborted', requestIds[1]]]);
        expect(runs[0]?.columns[0]?.text).toMatch(/^t0 /);
        expect(runs[0]?.columns[0]?.route?.attempts).toMatchObject([{ outcome: 'aborted' }]);
        const continued = await again.dispatcher.request('compare.continue', { runId: runs[0]!.runId, column: 0 }, 'ws');
        expect(continued.ok).toBe(true);
      } finally {
        await again.dispose();
      }
      const db = new Database(dataDirLayout(own).database, { readonly: true });
      try {
        const rows = db.prepare(`SELECT outcome, client FROM calls WHERE request_id IN (${requestIds.map(() => '?').join(',')})`).all(...requestIds);
        expect(rows).toHaveLength(2);
        expect(rows).toEqual([{ outcome: 'aborted', client: 'compare' }, { outcome: 'aborted', client: 'compare' }]);
      } finally {
        db.close();
      }
    } finally {
      await second.dispose();
      rmSync(own, { recursive: true, force: true });
    }
  });
});

describe('compare after a crash', () => {
  it('a run a crash left streaming reads as interrupted at the next start', async () => {
    const own = mkdtempSync(join(tmpdir(), 'sb-compare-crash-'));
    try {
      const store = openStore({ path: dataDirLayout(own).database });
      store.compare.insert({ id: 'run-x', text: 'cut short', attachments: [], createdAt: 1, columns: [{ column: 0, model: 'a/b', requestId: 'rq0' }, { column: 1, model: 'c/d', requestId: 'rq1' }] }, 100);
      store.compare.update('run-x', 0, { text: 'half an ans' });
      store.close();
      const core2 = await createCore({ dataDir: own, engineOptions: { threads: 1 } });
      try {
        const result = await core2.dispatcher.request('compare.recent', { limit: 5 }, 'ws');
        const [run] = (result as { data: CompareRun[] }).data;
        expect(run?.running).toBe(false);
        expect(run?.columns.map((c) => [c.status, c.text, c.error?.message])).toEqual([
          ['error', 'half an ans', expect.stringMatching(/^interrupted/)],
          ['error', '', expect.stringMatching(/^interrupted/)],
        ]);
      } finally {
        await core2.dispose();
      }
    } finally {
      rmSync(own, { recursive: true, force: true });
    }
  });
});
