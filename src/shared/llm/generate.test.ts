import { describe, expect, it } from 'vitest';
import { collectStream } from './generate';
import { type StreamPart, streamPartSchema } from './stream-part';

function streamOf(parts: StreamPart[]): ReadableStream<StreamPart> {
  return new ReadableStream({
    start(controller) {
      for (const part of parts) controller.enqueue(part);
      controller.close();
    },
  });
}

describe('collectStream', () => {
  it('collects text, reasoning, tool calls, warnings, usage and the finish reason', async () => {
    const parts: StreamPart[] = [
      { type: 'stream-start', warnings: [{ type: 'unsupported', feature: 'topK' }] },
      { type: 'response-metadata', id: 'resp_1', modelId: 'm' },
      { type: 'reasoning-start', id: 'r' },
      { type: 'reasoning-delta', id: 'r', delta: 'think' },
      { type: 'reasoning-end', id: 'r' },
      { type: 'text-start', id: 't' },
      { type: 'text-delta', id: 't', delta: 'Hel' },
      { type: 'text-delta', id: 't', delta: 'lo' },
      { type: 'text-end', id: 't' },
      { type: 'tool-call', toolCallId: 'c1', toolName: 'lookup', input: '{"q":1}' },
      {
        type: 'finish',
        usage: { inputTokens: { total: 10, cacheRead: 4 }, outputTokens: { total: 3 } },
        finishReason: { unified: 'tool-calls', raw: 'tool_calls' },
      },
    ];
    for (const part of parts) expect(streamPartSchema.parse(part)).toEqual(part);
    const result = await collectStream(streamOf(parts));
    expect(result.text).toBe('Hello');
    expect(result.reasoning).toBe('think');
    expect(result.toolCalls).toEqual([{ toolCallId: 'c1', toolName: 'lookup', input: '{"q":1}' }]);
    expect(result.warnings).toEqual([{ type: 'unsupported', feature: 'topK' }]);
    expect(result.responseId).toBe('resp_1');
    expect(result.usage.inputTokens).toEqual({ total: 10, cacheRead: 4 });
    // unknown stays undefined, never 0
    expect(result.usage.outputTokens.reasoning).toBeUndefined();
    expect(result.finishReason.unified).toBe('tool-calls');
    expect(result.error).toBeUndefined();
  });

  it('keeps the error part of a stream that failed after starting', async () => {
    const result = await collectStream(
      streamOf([
        { type: 'stream-start', warnings: [] },
        { type: 'text-start', id: 't' },
        { type: 'text-delta', id: 't', delta: 'par' },
        { type: 'error', error: { kind: 'connection', message: 'reset', retryable: true } },
        { type: 'finish', usage: { inputTokens: {}, outputTokens: {} }, finishReason: { unified: 'error' } },
      ]),
    );
    expect(result.text).toBe('par');
    expect(result.error?.kind).toBe('connection');
    expect(result.finishReason.unified).toBe('error');
  });
});
