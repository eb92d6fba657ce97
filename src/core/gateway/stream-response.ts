import type { ServerResponse } from 'node:http';
import type { StreamPart } from '../../shared/llm';
import { fromProviderData } from './gateway-error';
import { sseWriter } from './http-io';

const CONTENT: ReadonlySet<StreamPart['type']> = new Set(['text-delta', 'reasoning-delta', 'tool-call', 'finish']);

/**
 * Pipes stream parts to an SSE answer through an encoder. The status line waits for the first
 * content: a failure before any (every attempt of the router failed) is thrown as a GatewayError, so
 * the client gets a real status code (429, 502…) its SDK can act on, instead of a 200 with an error
 * event. After that, failures are the encoder's `error` event. A client that goes away cancels the
 * stream, which aborts the call (it is still recorded).
 */
export async function pipeSse(options: {
  res: ServerResponse;
  stream: ReadableStream<StreamPart>;
  headers: Record<string, string>;
  /** Text written before the first encoded part (Anthropic's message_start). */
  preamble?: () => string;
  encode: (part: StreamPart) => string;
}): Promise<void> {
  const reader = options.stream.getReader();
  const held: StreamPart[] = [];
  let writer: ReturnType<typeof sseWriter> | undefined;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (writer === undefined) {
        if (value.type === 'error') throw fromProviderData(value.error);
        held.push(value);
        if (!CONTENT.has(value.type)) continue;
        writer = sseWriter(options.res, options.headers);
        let text = options.preamble?.() ?? '';
        for (const part of held) text += options.encode(part);
        held.length = 0;
        if (!(await writer.write(text))) break;
        continue;
      }
      if (!(await writer.write(options.encode(value)))) break;
    }
    if (writer === undefined) {
      // A stream that ended without any content or finish: still a well-formed (empty) answer.
      writer = sseWriter(options.res, options.headers);
      let text = options.preamble?.() ?? '';
      for (const part of held) text += options.encode(part);
      await writer.write(text);
    }
    writer.end();
  } finally {
    // Stops the producer when we stop early (client gone, or an error thrown above).
    await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
