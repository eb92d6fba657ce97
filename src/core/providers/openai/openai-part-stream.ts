import type { CallWarning, StreamPart } from '../../../shared/llm';
import type { OpenAICompat } from './openai-compat';
import type { OpenAIErrorContext } from './openai-error';
import { OpenAIEventReader } from './openai-event-reader';

export interface OpenAIPartStreamOptions {
  /** The body of a 2xx `text/event-stream` answer to a streaming chat completions request. */
  body: ReadableStream<Uint8Array>;
  /** The answer's headers (an error event in the stream reports them, as the SDK does). */
  headers: Headers;
  warnings: CallWarning[];
  compat: OpenAICompat | undefined;
  /** The caller's signal: an end caused by it finishes as `aborted`, without an error part. */
  signal: AbortSignal | undefined;
  /** Aborts the HTTP request (the SDK's controller). */
  abortRequest: () => void;
  errorContext: () => OpenAIErrorContext;
}

/**
 * The SSE body of a chat completions stream → spec parts, in one layer: each network read is
 * decoded, split into events and mapped to parts in one go, with no promise per event. The stream
 * never errors: a failure (a cut connection, a malformed event, an error event) becomes an `error`
 * part and `finish`, after whatever text came before it.
 */
export function openAIPartStream(options: OpenAIPartStreamOptions): ReadableStream<StreamPart> {
  const { body, headers, signal, abortRequest, errorContext } = options;
  const reader = body.getReader();
  let controller!: ReadableStreamDefaultController<StreamPart>;
  // After the reader cancels, the controller refuses parts; whatever is still in flight is dropped.
  let cancelled = false;
  let closed = false;
  const events = new OpenAIEventReader({
    compat: options.compat,
    headers: () => headers,
    errorContext,
    emit: (part) => {
      if (!cancelled) controller.enqueue(part);
    },
  });

  const end = (error?: unknown) => {
    if (closed) return;
    closed = true;
    if (cancelled) return;
    events.end(error, signal?.aborted === true);
    controller.close();
  };

  return new ReadableStream<StreamPart>({
    start(c) {
      controller = c;
      controller.enqueue({ type: 'stream-start', warnings: options.warnings });
    },
    async pull() {
      // One network read (often many events) per round; keep reading while the consumer wants
      // more, so its pace drives the connection.
      for (;;) {
        let result: Awaited<ReturnType<typeof reader.read>>;
        try {
          result = await reader.read();
        } catch (error) {
          end(error);
          return;
        }
        if (cancelled) return;
        if (result.done) {
          end();
          return;
        }
        try {
          events.push(result.value);
        } catch (error) {
          end(error);
          abortRequest();
          return;
        }
        if ((controller.desiredSize ?? 0) <= 0) return;
      }
    },
    async cancel() {
      cancelled = true;
      abortRequest();
      await reader.cancel().catch(() => undefined);
    },
  });
}
