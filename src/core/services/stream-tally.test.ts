import { describe, expect, it } from 'vitest';
import { type StreamPart } from '../../shared/llm';
import { StreamTally } from './stream-tally';

const usage = { inputTokens: { total: 9 }, outputTokens: { total: 2 } };
const finish = (unified: 'stop' | 'aborted' | 'error'): StreamPart => ({ type: 'finish', usage, finishReason: { unified } });

function tally(parts: StreamPart[], ended = true): { tally: StreamTally; clockCalls: number } {
  let now = 100;
  let clockCalls = 0;
  const t = new StreamTally(() => {
    clockCalls++;
    return (now += 10);
  });
  for (const part of parts) t.observe(part);
  t.streamEnded = ended;
  return { tally: t, clockCalls };
}

describe('StreamTally', () => {
  it('adds up text, reasoning and tool calls; the first token of any kind starts the clock once', () => {
    const { tally: t, clockCalls } = tally([
      { type: 'stream-start', warnings: [] },
      { type: 'reasoning-delta', id: 'r', delta: 'think' },
      { type: 'text-delta', id: 't', delta: 'Hel' },
      { type: 'tool-call', toolCallId: 'c1', toolName: 'look', input: '{"q":1}' },
      { type: 'text-delta', id: 't', delta: 'lo' },
      finish('stop'),
    ]);
    expect([t.text, t.reasoning, t.toolCalls]).toEqual(['Hello', 'think', [{ id: 'c1', name: 'look', input: '{"q":1}' }]]);
    expect(clockCalls).toBe(1);
    expect(t.ttftFrom(100)).toBe(10);
    expect(t.usage).toEqual(usage);
    expect(t.outcome('m', false)).toEqual({ status: 'complete', error: undefined });
  });

  it('no token yet: no time to first token', () => {
    expect(tally([]).tally.ttftFrom(0)).toBeNull();
  });

  it('keeps the first error, whether from a part or from outside the stream; an error wins over an abort', () => {
    const { tally: t } = tally([
      { type: 'error', error: { kind: 'rate_limit', message: 'slow down', retryable: true } },
      { type: 'error', error: { kind: 'server', message: 'second', retryable: false } },
      finish('error'),
    ]);
    t.fail({ kind: 'connection', message: 'later', retryable: true });
    expect(t.outcome('m', true)).toEqual({ status: 'error', error: { kind: 'rate_limit', message: 'slow down', retryable: true } });
  });

  it('reads an ending without a finish as an error, unless it was stopped or left early', () => {
    expect(tally([{ type: 'text-delta', id: 't', delta: 'x' }]).tally.outcome('a/b', false)).toEqual({
      status: 'error', error: { kind: 'server', message: "a/b: the model's stream ended without finishing", retryable: false },
    });
    expect(tally([], true).tally.outcome('a/b', true)).toEqual({ status: 'aborted', error: undefined });
    expect(tally([], false).tally.outcome('a/b', false)).toEqual({ status: 'aborted', error: undefined });
  });

  it('an aborted error or finish is an abort; a finish of kind error without one is described', () => {
    const aborted = { kind: 'aborted' as const, message: 'stopped', retryable: true };
    const t = tally([]).tally;
    t.fail(aborted);
    expect(t.outcome('m', true)).toEqual({ status: 'aborted', error: aborted });
    expect(tally([finish('aborted')]).tally.outcome('m', false)).toEqual({ status: 'aborted', error: undefined });
    expect(tally([finish('error')]).tally.outcome('a/b', false)).toEqual({
      status: 'error', error: { kind: 'server', message: 'a/b: the model stopped with an error it did not describe', retryable: false },
    });
  });
});
