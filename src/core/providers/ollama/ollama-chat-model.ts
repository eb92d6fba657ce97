import { randomUUID } from 'node:crypto';
import { Ollama, type AbortableAsyncIterator, type ChatResponse } from 'ollama';
import { z } from 'zod';
import {
  ProviderError,
  type CallOptions,
  type LanguageModel,
  type ModelCapabilities,
  type StreamPart,
} from '../../../shared/llm';
import { convertOllamaUsage } from './convert-ollama-usage';
import { mapOllamaDoneReason } from './map-ollama-done-reason';
import { mapOllamaError } from './ollama-error';
import { createOllamaCallFetch } from './ollama-fetch';
import { prepareOllamaRequest } from './prepare-ollama-request';

const PROVIDER = 'ollama';

/** Connection settings the factory hands each model. */
export interface OllamaConnection {
  baseURL: string;
  headers: Record<string, string>;
  /** Idle timeout: no response headers, or no new chunk, for this long fails the call as `timeout`. */
  timeoutMs: number | undefined;
  /** Values kept out of error messages (an API key sent as a header). */
  secrets: string[];
  fetch?: typeof fetch;
}

/** One streamed line of `POST /api/chat`, checked rather than trusted. */
const chatChunkSchema = z.looseObject({
  model: z.string().optional(),
  created_at: z.string().optional(),
  message: z
    .looseObject({
      role: z.string().optional(),
      content: z.string().optional(),
      thinking: z.string().optional(),
      tool_calls: z
        .array(
          z.looseObject({
            id: z.string().optional(),
            function: z.looseObject({ name: z.string(), arguments: z.union([z.record(z.string(), z.unknown()), z.string()]).optional() }),
          }),
        )
        .optional(),
    })
    .optional(),
  done: z.boolean(),
  done_reason: z.string().optional(),
  prompt_eval_count: z.number().int().nonnegative().optional(),
  eval_count: z.number().int().nonnegative().optional(),
  total_duration: z.number().optional(),
  load_duration: z.number().optional(),
  prompt_eval_duration: z.number().optional(),
  eval_duration: z.number().optional(),
});
type ChatChunk = z.infer<typeof chatChunkSchema>;

/** A model served by Ollama, through the official `ollama` client. */
export class OllamaChatModel implements LanguageModel {
  readonly provider = PROVIDER;
  readonly capabilities: ModelCapabilities;

  constructor(
    readonly modelId: string,
    private readonly connection: OllamaConnection,
    capabilities?: Partial<ModelCapabilities>,
  ) {
    // Ollama takes tools and JSON output for any chat model; vision and thinking depend on the
    // model, known from `show()` (its `capabilities`) or the catalog, passed in by the factory.
    this.capabilities = { vision: false, tools: true, reasoning: false, json: true, ...capabilities };
  }

  async stream(options: CallOptions): Promise<{ stream: ReadableStream<StreamPart> }> {
    const { request, warnings } = prepareOllamaRequest(this.modelId, options);
    const signal = options.abortSignal;
    const { baseURL, secrets } = this.connection;
    if (signal?.aborted) throw new ProviderError({ kind: 'aborted', message: 'The request to Ollama was aborted.', provider: PROVIDER });

    const call = createOllamaCallFetch({ signal, timeoutMs: this.connection.timeoutMs, baseFetch: this.connection.fetch });
    const client = new Ollama({ host: baseURL, headers: { ...this.connection.headers, ...options.headers }, fetch: call.fetch });
    const errorOf = (error: unknown) =>
      mapOllamaError(error, { baseURL, secrets, aborted: signal?.aborted, timedOut: call.state.timedOut, retryAfterMs: call.state.retryAfterMs });

    let response: AbortableAsyncIterator<ChatResponse>;
    try {
      response = await client.chat({ ...request, stream: true });
    } catch (error) {
      call.dispose();
      throw errorOf(error);
    }
    const onAbort = () => response.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const iterator = response[Symbol.asyncIterator]();

    const responseId = `ollama-${randomUUID()}`;
    let open: { type: 'text' | 'reasoning'; id: string } | undefined;
    let blocks = 0;
    let sawReasoning = false;
    let sawToolCalls = false;
    let metadataSent = false;
    let finished = false;

    const close = (controller: ReadableStreamDefaultController<StreamPart>) => {
      if (open) controller.enqueue({ type: `${open.type}-end`, id: open.id });
      open = undefined;
    };
    const delta = (controller: ReadableStreamDefaultController<StreamPart>, type: 'text' | 'reasoning', text: string) => {
      if (text.length === 0) return;
      if (open?.type !== type) {
        close(controller);
        open = { type, id: `${type}-${blocks}` };
        blocks += 1;
        controller.enqueue({ type: `${type}-start`, id: open.id });
      }
      controller.enqueue({ type: `${type}-delta`, id: open.id, delta: text });
    };
    const end = (controller: ReadableStreamDefaultController<StreamPart>, part: StreamPart & { type: 'finish' }, error?: ProviderError) => {
      close(controller);
      if (error) controller.enqueue({ type: 'error', error: error.toData() });
      controller.enqueue(part);
      controller.close();
      finished = true;
      signal?.removeEventListener('abort', onAbort);
      call.dispose();
    };
    const emptyUsage = { inputTokens: {}, outputTokens: {} };
    const onChunk = (controller: ReadableStreamDefaultController<StreamPart>, chunk: ChatChunk) => {
      if (!metadataSent) {
        metadataSent = true;
        const timestamp = chunk.created_at === undefined ? NaN : Date.parse(chunk.created_at);
        controller.enqueue({
          type: 'response-metadata',
          id: responseId,
          modelId: chunk.model ?? this.modelId,
          ...(Number.isNaN(timestamp) ? {} : { timestamp }),
        });
      }
      const message = chunk.message;
      if (message?.thinking) {
        sawReasoning = true;
        delta(controller, 'reasoning', message.thinking);
      }
      if (message?.content) delta(controller, 'text', message.content);
      for (const toolCall of message?.tool_calls ?? []) {
        close(controller);
        sawToolCalls = true;
        const args = toolCall.function.arguments;
        controller.enqueue({
          type: 'tool-call',
          // Ollama sends whole calls, mostly without ids: make one up when it has none.
          toolCallId: toolCall.id ?? `call_${randomUUID()}`,
          toolName: toolCall.function.name,
          input: typeof args === 'string' ? args : JSON.stringify(args ?? {}),
        });
      }
      if (chunk.done) {
        end(controller, {
          type: 'finish',
          usage: convertOllamaUsage(chunk, { sawReasoning }),
          finishReason: mapOllamaDoneReason(chunk.done_reason, sawToolCalls),
        });
      }
    };

    const stream = new ReadableStream<StreamPart>({
      start(controller) {
        controller.enqueue({ type: 'stream-start', warnings });
      },
      // Pull-based: Ollama's stream is read only as fast as the consumer reads.
      async pull(controller) {
        let result: IteratorResult<unknown>;
        try {
          result = await iterator.next();
        } catch (error) {
          if (signal?.aborted) end(controller, { type: 'finish', usage: emptyUsage, finishReason: { unified: 'aborted' } });
          else {
            const mapped = errorOf(error);
            end(controller, { type: 'finish', usage: emptyUsage, finishReason: { unified: 'error', raw: mapped.kind } }, mapped);
          }
          return;
        }
        if (result.done) {
          if (!finished) {
            const error = new ProviderError({ kind: 'connection', message: `Ollama at ${baseURL} ended the stream before its final chunk.`, provider: PROVIDER });
            end(controller, { type: 'finish', usage: emptyUsage, finishReason: { unified: 'error', raw: error.kind } }, error);
          }
          return;
        }
        const chunk = chatChunkSchema.safeParse(result.value);
        if (!chunk.success) {
          response.abort();
          const error = new ProviderError({ kind: 'server', message: `Ollama at ${baseURL} sent a chat chunk of an unknown shape.`, provider: PROVIDER });
          end(controller, { type: 'finish', usage: emptyUsage, finishReason: { unified: 'error', raw: error.kind } }, error);
          return;
        }
        onChunk(controller, chunk.data);
      },
      cancel() {
        response.abort();
        signal?.removeEventListener('abort', onAbort);
        call.dispose();
      },
    });
    return { stream };
  }
}
