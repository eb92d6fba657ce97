import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import {
  ProviderError,
  type CallOptions,
  type FinishReason,
  type LanguageModel,
  type ModelCapabilities,
  type StreamPart,
  type Usage,
} from '../../../shared/llm';
import { convertOpenAIUsage } from './convert-openai-usage';
import { convertToOpenAIRequest } from './convert-to-openai-request';
import { mapOpenAIFinishReason } from './map-openai-finish-reason';
import { isOpenAIReasoningModel, reasoningFields, type OpenAICompat } from './openai-compat';
import { convertOpenAIError, providerLabel } from './openai-error';
import type { OpenAIModelConfig } from './openai-model-config';

export interface OpenAIChatModelConfig extends OpenAIModelConfig {
  compat?: OpenAICompat;
  capabilities?: Partial<ModelCapabilities>;
}


interface PendingToolCall {
  id: string;
  name: string;
  arguments: string;
}

/** A chat completions model (OpenAI or a compatible server) through the official `openai` SDK. */
export class OpenAIChatModel implements LanguageModel {
  readonly provider: string;
  readonly modelId: string;
  readonly capabilities: ModelCapabilities;
  private readonly config: OpenAIChatModelConfig;

  constructor(config: OpenAIChatModelConfig) {
    this.config = config;
    this.provider = config.provider;
    this.modelId = config.modelId;
    const reasoning = (config.compat?.isReasoningModel ?? isOpenAIReasoningModel)(config.modelId);
    this.capabilities = { vision: true, tools: true, reasoning, json: true, ...config.capabilities };
  }

  async stream(options: CallOptions): Promise<{ stream: ReadableStream<StreamPart> }> {
    const { provider, compat } = this.config;
    const errorContext = () => ({ provider, apiKey: this.config.apiKey() });
    const { body, warnings } = convertToOpenAIRequest(options, { modelId: this.modelId, provider, compat });
    const client = this.config.client();

    let chunks: AsyncIterator<ChatCompletionChunk>;
    let abortRequest: () => void;
    try {
      const { data, response } = await client.chat.completions
        .create(body, { signal: options.abortSignal, ...(options.headers === undefined ? {} : { headers: options.headers }) })
        .withResponse();
      abortRequest = () => data.controller.abort();
      // A server that names another content type (an HTML login page, a proxy's error, JSON from a
      // server that ignored `stream`) is not an event stream; one that names none is given the benefit.
      const contentType = response.headers.get('content-type') ?? '';
      if (contentType !== '' && !contentType.toLowerCase().startsWith('text/event-stream')) {
        abortRequest();
        throw new ProviderError({
          kind: 'server',
          status: response.status,
          provider,
          message: `${providerLabel(provider)} answered with content type "${contentType}" instead of an event stream (text/event-stream); is the base URL an OpenAI-compatible API?`,
        });
      }
      chunks = data[Symbol.asyncIterator]();
    } catch (error) {
      throw convertOpenAIError(error, errorContext());
    }

    const fields = reasoningFields(compat);
    const readExtras = compat?.readUsageExtras;
    const signal = options.abortSignal;
    // A block that closes and opens again (text after a finish chunk, reasoning after text) gets a new id.
    let textOpen = false;
    let reasoningOpen = false;
    let textBlocks = 0;
    let reasoningBlocks = 0;
    let textId = 'text-0';
    let reasoningId = 'reasoning-0';
    let metadataSent = false;
    let finishReason: FinishReason | undefined;
    let rawUsage: unknown;
    const toolCalls: PendingToolCall[] = [];
    let toolCallsSent = false;
    let closed = false;
    // After the reader cancels, the controller refuses parts; whatever is still in flight is dropped.
    let cancelled = false;
    const enqueue = (controller: ReadableStreamDefaultController<StreamPart>, part: StreamPart) => {
      if (!cancelled) controller.enqueue(part);
    };

    const flushToolCalls = (controller: ReadableStreamDefaultController<StreamPart>) => {
      if (toolCallsSent) return;
      toolCallsSent = true;
      for (const call of toolCalls) {
        if (call === undefined) continue;
        enqueue(controller, { type: 'tool-call', toolCallId: call.id, toolName: call.name, input: call.arguments === '' ? '{}' : call.arguments });
      }
    };
    const closeBlocks = (controller: ReadableStreamDefaultController<StreamPart>) => {
      if (reasoningOpen) enqueue(controller, { type: 'reasoning-end', id: reasoningId });
      if (textOpen) enqueue(controller, { type: 'text-end', id: textId });
      reasoningOpen = false;
      textOpen = false;
    };
    const usage = (): Usage => {
      if (rawUsage === undefined || rawUsage === null) return { inputTokens: {}, outputTokens: {} };
      const extras = readExtras && typeof rawUsage === 'object' ? readExtras(rawUsage as Record<string, unknown>) : undefined;
      return convertOpenAIUsage(rawUsage, extras);
    };
    const end = (controller: ReadableStreamDefaultController<StreamPart>, error?: ProviderError) => {
      if (closed) return;
      closed = true;
      if (cancelled) return;
      closeBlocks(controller);
      if (error !== undefined) {
        enqueue(controller, { type: 'error', error: error.toData() });
        enqueue(controller, { type: 'finish', usage: usage(), finishReason: { unified: 'error', raw: finishReason?.raw ?? error.kind } });
      } else {
        if (finishReason !== undefined) flushToolCalls(controller);
        const reason: FinishReason = finishReason ?? (signal?.aborted ? { unified: 'aborted' } : { unified: 'other' });
        enqueue(controller, { type: 'finish', usage: usage(), finishReason: reason });
      }
      controller.close();
    };

    const handleChunk = (controller: ReadableStreamDefaultController<StreamPart>, chunk: ChatCompletionChunk) => {
      if (!metadataSent) {
        metadataSent = true;
        enqueue(controller, {
          type: 'response-metadata',
          ...(typeof chunk.id === 'string' ? { id: chunk.id } : {}),
          ...(typeof chunk.model === 'string' ? { modelId: chunk.model } : {}),
          ...(typeof chunk.created === 'number' ? { timestamp: chunk.created * 1000 } : {}),
        });
      }
      if (chunk.usage !== undefined && chunk.usage !== null) rawUsage = chunk.usage;
      const choice = chunk.choices?.[0];
      if (choice === undefined) return;
      const delta = choice.delta as (ChatCompletionChunk.Choice.Delta & Record<string, unknown>) | undefined;
      if (delta !== undefined && delta !== null) {
        for (const field of fields) {
          const piece = delta[field];
          if (typeof piece !== 'string' || piece === '') continue;
          if (!reasoningOpen) {
            reasoningId = `reasoning-${reasoningBlocks++}`;
            enqueue(controller, { type: 'reasoning-start', id: reasoningId });
          }
          reasoningOpen = true;
          enqueue(controller, { type: 'reasoning-delta', id: reasoningId, delta: piece });
        }
        const content = delta.content;
        if (typeof content === 'string' && content !== '') {
          if (reasoningOpen) enqueue(controller, { type: 'reasoning-end', id: reasoningId });
          reasoningOpen = false;
          if (!textOpen) {
            textId = `text-${textBlocks++}`;
            enqueue(controller, { type: 'text-start', id: textId });
          }
          textOpen = true;
          enqueue(controller, { type: 'text-delta', id: textId, delta: content });
        }
        if (Array.isArray(delta.tool_calls)) {
          for (const part of delta.tool_calls) {
            const index = typeof part.index === 'number' ? part.index : toolCalls.length;
            let call = toolCalls[index];
            if (call === undefined) {
              call = { id: part.id ?? `call_${index}_${Math.random().toString(36).slice(2, 10)}`, name: part.function?.name ?? '', arguments: '' };
              toolCalls[index] = call;
            } else if (part.function?.name) {
              call.name = call.name || part.function.name;
            }
            if (typeof part.function?.arguments === 'string') call.arguments += part.function.arguments;
          }
        }
      }
      if (choice.finish_reason !== null && choice.finish_reason !== undefined) {
        finishReason = mapOpenAIFinishReason(choice.finish_reason);
        closeBlocks(controller);
        flushToolCalls(controller);
      }
    };

    const stream = new ReadableStream<StreamPart>({
      start(controller) {
        enqueue(controller, { type: 'stream-start', warnings });
      },
      async pull(controller) {
        // Keep reading while the consumer wants more (a pending read takes a part straight away),
        // so the consumer's pace drives the connection without a pull call per chunk.
        for (;;) {
          let result: IteratorResult<ChatCompletionChunk>;
          try {
            result = await chunks.next();
          } catch (error) {
            const converted = convertOpenAIError(error, errorContext());
            if (converted.kind === 'aborted') end(controller);
            else end(controller, converted);
            return;
          }
          if (result.done) {
            end(controller);
            return;
          }
          handleChunk(controller, result.value);
          if (cancelled || (controller.desiredSize ?? 0) <= 0) return;
        }
      },
      async cancel() {
        cancelled = true;
        abortRequest();
        await chunks.return?.();
      },
    });
    return { stream };
  }
}
