import { describe, expect, it, vi } from 'vitest';
import { collectStream, type StreamPart } from '../../../shared/llm';
import { openAIPartStream, type OpenAIPartStreamOptions } from './openai-part-stream';

const encoder = new TextEncoder();
const event = (delta: Record<string, unknown>, finish: string | null = null) =>
  `data: ${JSON.stringify({ id: 'chatcmpl-p', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;

/** A body that hands out `pieces` (bytes split wherever the test says), then ends or fails. */
function body(pieces: Array<string | Uint8Array>, failWith?: unknown): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const piece = pieces[i++];
      if (piece !== undefined) controller.enqueue(typeof piece === 'string' ? encoder.encode(piece) : piece);
      else if (failWith !== undefined) controller.error(failWith);
      else controller.close();
    },
  });
}

const partStream = (source: ReadableStream<Uint8Array>, options: Partial<OpenAIPartStreamOptions> = {}) => {
  const abortRequest = vi.fn();
  const stream = openAIPartStream({
    body: source,
    headers: new Headers({ 'content-type': 'text/event-stream' }),
    warnings: [],
    compat: undefined,
    signal: undefined,
    abortRequest,
    errorContext: () => ({ provider: 'openai', apiKey: 'sk-test-part-stream-000' }),
    ...options,
  });
  return { stream, abortRequest };
};

async function partsOf(stream: ReadableStream<StreamPart>): Promise<StreamPart[]> {
  const parts: StreamPart[] = [];
  const reader = stream.getReader();
  for (let r = await reader.read(); !r.done; r = await reader.read()) parts.push(r.value);
  return parts;
}

describe('openAIPartStream', () => {
  it('maps events split anywhere across reads, multi-byte characters included', async () => {
    const wire = encoder.encode(`${event({ role: 'assistant', content: 'Grüß ' })}: keep-alive\n\n${event({ content: 'dich 👋' })}${event({}, 'stop')}data: [DONE]\n\n`);
    for (const at of [1, 17, 60, 61, 62, wire.length - 3]) {
      const { stream } = partStream(body([wire.slice(0, at), wire.slice(at)]));
      const result = await collectStream(stream);
      expect(result.text, `split at byte ${at}`).toBe('Grüß dich 👋');
      expect(result.finishReason.unified).toBe('stop');
      expect(result.error).toBeUndefined();
    }
  });

  it('starts with stream-start and the warnings, ends with one finish', async () => {
    const warnings = [{ type: 'other' as const, message: 'note' }];
    const parts = await partsOf(partStream(body([event({ content: 'a' }) + event({}, 'stop') + 'data: [DONE]\n\n']), { warnings }).stream);
    expect(parts[0]).toEqual({ type: 'stream-start', warnings });
    expect(parts.map((p) => p.type)).toEqual(['stream-start', 'response-metadata', 'text-start', 'text-delta', 'text-end', 'finish']);
  });

  it('ignores whatever follows [DONE]', async () => {
    const result = await collectStream(partStream(body([event({ content: 'a' }), 'data: [DONE]\n\n', event({ content: 'late' })])).stream);
    expect(result.text).toBe('a');
  });

  it('a body that ends without a finish reason finishes as other', async () => {
    const result = await collectStream(partStream(body([event({ content: 'a' })])).stream);
    expect(result.finishReason).toEqual({ unified: 'other' });
  });

  it('a malformed event is a server error after the text so far, and the request is aborted', async () => {
    const { stream, abortRequest } = partStream(body([event({ content: 'Half' }) + 'data: {"choices":[{"delta":{"content":\n\n' + event({ content: 'never' })]));
    const parts = await partsOf(stream);
    expect(parts.map((p) => p.type).slice(-3)).toEqual(['text-end', 'error', 'finish']);
    const result = await collectStream(partStream(body([event({ content: 'Half' }), 'data: {"choices":[\n\n'])).stream);
    expect(result.text).toBe('Half');
    expect(result.error).toMatchObject({ kind: 'server', retryable: true, provider: 'openai' });
    expect(result.error?.message).toMatch(/malformed/);
    expect(abortRequest).toHaveBeenCalledOnce();
  });

  it('an event that is not a chat completion chunk is a server error naming where', async () => {
    const result = await collectStream(partStream(body([event({ content: 'a' }), 'data: {"choices":[{"delta":{"content":7}}]}\n\n'])).stream);
    expect(result.text).toBe('a');
    expect(result.error).toMatchObject({ kind: 'server', provider: 'openai' });
    expect(result.error?.message).toContain('choices.0.delta.content');
    expect(result.finishReason.unified).toBe('error');
  });

  it('an error event is mapped as the SDK maps it, with the provider’s message and code', async () => {
    const error = { error: { message: "This model's maximum context length is 8192 tokens", type: 'invalid_request_error', code: 'context_length_exceeded' } };
    const result = await collectStream(partStream(body([event({ content: 'a' }), `data: ${JSON.stringify(error)}\n\n`])).stream);
    expect(result.error).toMatchObject({ kind: 'context_length', provider: 'openai' });
    expect(result.error?.message).toContain('maximum context length');
  });

  it('a connection cut mid-body is a retryable connection error after the text so far', async () => {
    const result = await collectStream(partStream(body([event({ content: 'Once ' }), 'data: {"cho'], new TypeError('terminated'))).stream);
    expect(result.text).toBe('Once ');
    expect(result.error).toMatchObject({ kind: 'connection', retryable: true });
    expect(result.finishReason.unified).toBe('error');
  });

  it('a read ended by the caller’s signal finishes as aborted, without an error part', async () => {
    const signal = AbortSignal.abort();
    const abort = new DOMException('This operation was aborted', 'AbortError');
    const parts = await partsOf(partStream(body([event({ content: 'tick' })], abort), { signal }).stream);
    expect(parts.some((p) => p.type === 'error')).toBe(false);
    expect(parts.at(-1)).toMatchObject({ type: 'finish', finishReason: { unified: 'aborted' } });
  });

  it('cancelling the reader aborts the request and cancels the body', async () => {
    const cancel = vi.fn();
    const source = new ReadableStream<Uint8Array>({ pull: (c) => c.enqueue(encoder.encode(event({ content: 'x' }))), cancel });
    const { stream, abortRequest } = partStream(source);
    const reader = stream.getReader();
    let part: StreamPart | undefined;
    do part = (await reader.read()).value;
    while (part?.type !== 'text-delta');
    await reader.cancel();
    expect(abortRequest).toHaveBeenCalledOnce();
    expect(cancel).toHaveBeenCalledOnce();
  });
});
