import type { ServerResponse } from 'node:http';
import type { PartIterator, StreamPart } from '../../shared/llm';
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
  parts: PartIterator;
  headers: Record<string, string>;
  /** Text written before the first encoded part (Anthropic's message_start). */
  preamble?: () => string;
  encode: (part: StreamPart) => string;
}): Promise<void> {
  const { parts } = options;
  const held: StreamPart[] = [];
  let writer: ReturnType<typeof sseWriter> | undefined;
  try {
    for (;;) {
      const next = await parts.next();
      if (next.done === true) break;
      // The parts already at hand go out in one write.
      let text = '';
      for (let part: StreamPart | undefined = next.value; part !== undefined; part = parts.nextBuffered?.()) {
        if (writer === undefined) {
          if (part.type === 'error') throw fromProviderData(part.error);
          held.push(part);
          if (!CONTENT.has(part.type)) continue;
          writer = sseWriter(options.res, options.headers);
          text += options.preamble?.() ?? '';
          for (const each of held) text += options.encode(each);
          held.length = 0;
          continue;
        }
        text += options.encode(part);
      }
      if (writer !== undefined && !(await writer.write(text))) break;
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
    await parts.return().catch(() => undefined);
  }
}
