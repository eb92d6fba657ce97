import { APIError } from 'openai';
import { ProviderError, type CallWarning, type StreamPart } from '../../../shared/llm';
import { openAIChunkSchema } from './openai-chunk-schema';
import type { OpenAICompat } from './openai-compat';
import { reasoningFields } from './openai-compat';
import { convertOpenAIError, providerLabel, type OpenAIErrorContext } from './openai-error';
import { OpenAIStreamMapper } from './openai-stream-mapper';
import { SSEDataDecoder } from './parse-openai-sse';

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
  const utf8 = new TextDecoder();
  const sse = new SSEDataDecoder();
  let controller!: ReadableStreamDefaultController<StreamPart>;
  // After the reader cancels, the controller refuses parts; whatever is still in flight is dropped.
  let cancelled = false;
  let closed = false;
  let done = false;
  const mapper = new OpenAIStreamMapper({
    reasoningFields: reasoningFields(options.compat),
    ...(options.compat?.readUsageExtras === undefined ? {} : { readUsageExtras: options.compat.readUsageExtras }),
    emit: (part) => {
      if (!cancelled) controller.enqueue(part);
    },
  });

  const end = (error?: unknown) => {
    if (closed) return;
    closed = true;
    if (cancelled) return;
    const converted = error === undefined ? undefined : convertOpenAIError(error, errorContext());
    if (signal?.aborted === true || converted?.kind === 'aborted') mapper.end(undefined, true);
    else mapper.end(converted);
    controller.close();
  };

  const onEvent = (data: string) => {
    // The SDK's rule: `[DONE]` ends the stream, and whatever follows it is ignored.
    if (done) return;
    if (data.startsWith('[DONE]')) {
      done = true;
      return;
    }
    const json = JSON.parse(data) as unknown;
    if (isErrorEvent(json)) throw new APIError(undefined, json.error, undefined, headers);
    const parsed = openAIChunkSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue === undefined || issue.path.length === 0 ? '' : ` (at ${issue.path.join('.')})`;
      throw new ProviderError({
        kind: 'server',
        provider: errorContext().provider,
        message: `${providerLabel(errorContext().provider)} sent a stream event that is not a chat completion chunk${where}.`,
      });
    }
    mapper.chunk(parsed.data);
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
          const events = sse.push(utf8.decode(result.value, { stream: true }));
          for (const data of events) onEvent(data);
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

function isErrorEvent(json: unknown): json is { error: NonNullable<unknown> } {
  // The SDK's test: any event whose `error` is truthy.
  return typeof json === 'object' && json !== null && 'error' in json && Boolean(json.error);
}
