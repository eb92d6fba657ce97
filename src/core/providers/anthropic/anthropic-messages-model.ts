import type Anthropic from '@anthropic-ai/sdk';
import type {
  MessageCountTokensParams,
  MessageCreateParamsStreaming,
  OutputConfig,
  RawMessageStreamEvent,
} from '@anthropic-ai/sdk/resources/messages';
import { z } from 'zod';
import {
  ProviderError,
  type CallOptions,
  type CallWarning,
  type FinishReason,
  type LanguageModel,
  type ModelCapabilities,
  type StreamPart,
} from '../../../shared/llm';
import { mapAnthropicError } from './anthropic-error';
import { type AnthropicUsageCounts, convertAnthropicUsage } from './convert-anthropic-usage';
import { convertToAnthropicMessages } from './convert-to-anthropic-messages';
import { mapAnthropicStopReason } from './map-anthropic-stop-reason';
import { anthropicThinkingModeFor, prepareAnthropicThinking } from './prepare-anthropic-thinking';
import { prepareAnthropicTools } from './prepare-anthropic-tools';

/** `providerOptions.anthropic`: what only Anthropic understands. */
export const anthropicProviderOptionsSchema = z.object({
  /** `adaptive` for models that take only adaptive thinking (an effort, no budget). */
  thinkingMode: z.enum(['budget', 'adaptive']).optional(),
  /** Sent as `metadata.user_id`: an opaque id of the end user, for abuse detection. */
  userId: z.string().optional(),
});
export type AnthropicProviderOptions = z.infer<typeof anthropicProviderOptionsSchema>;

export interface AnthropicMessagesModelConfig {
  provider: string;
  /** The SDK client, built on first use; throws an `auth` ProviderError when no key is set. */
  client: () => Anthropic;
  /** Secrets to keep out of error messages. */
  secrets: () => ReadonlyArray<string | undefined>;
  capabilities?: Partial<ModelCapabilities>;
}

type RequestBody = Omit<MessageCreateParamsStreaming, 'stream'>;

const SAMPLING_REMOVED = 'Anthropic API version 2026-10-21 removed sampling parameters and rejects them, so it is not sent';

/** One Claude model over the Messages API, streamed through the official SDK. */
export class AnthropicMessagesModel implements LanguageModel {
  readonly provider: string;
  readonly modelId: string;
  readonly capabilities: ModelCapabilities;
  private readonly config: AnthropicMessagesModelConfig;

  constructor(modelId: string, config: AnthropicMessagesModelConfig) {
    this.modelId = modelId;
    this.provider = config.provider;
    this.config = config;
    this.capabilities = { vision: true, tools: true, reasoning: true, json: true, ...config.capabilities };
  }

  /** Call options → the request body, and a warning for each option Anthropic cannot honour. */
  prepareRequest(options: CallOptions): { body: RequestBody; warnings: CallWarning[] } {
    const warnings: CallWarning[] = [];
    const unsupported = (feature: string, details?: string) =>
      warnings.push(details === undefined ? { type: 'unsupported', feature } : { type: 'unsupported', feature, details });

    const parsed = anthropicProviderOptionsSchema.safeParse(options.providerOptions?.anthropic ?? {});
    const providerOptions: AnthropicProviderOptions = parsed.success ? parsed.data : {};
    if (!parsed.success) warnings.push({ type: 'other', message: `providerOptions.anthropic ignored: ${parsed.error.issues[0]?.message ?? 'invalid'}` });

    const prompt = convertToAnthropicMessages(options.messages, options.system);
    warnings.push(...prompt.warnings);
    const tools = prepareAnthropicTools(options.tools, options.toolChoice);
    warnings.push(...tools.warnings);
    const thinkingMode = providerOptions.thinkingMode ?? anthropicThinkingModeFor(this.modelId);
    const thinking = prepareAnthropicThinking(options.reasoning, options.maxOutputTokens, thinkingMode);
    warnings.push(...thinking.warnings);

    if (options.temperature !== undefined) unsupported('temperature', SAMPLING_REMOVED);
    if (options.topP !== undefined) unsupported('topP', SAMPLING_REMOVED);
    if (options.topK !== undefined) unsupported('topK', SAMPLING_REMOVED);
    if (options.seed !== undefined) unsupported('seed');

    const body: RequestBody = { model: this.modelId, max_tokens: thinking.max_tokens, messages: prompt.messages };
    if (prompt.system !== undefined) body.system = prompt.system;
    if (options.stop !== undefined && options.stop.length > 0) body.stop_sequences = options.stop;
    if (tools.tools !== undefined) body.tools = tools.tools;
    if (tools.tool_choice !== undefined) body.tool_choice = tools.tool_choice;
    if (thinking.thinking !== undefined) body.thinking = thinking.thinking;

    const outputConfig: OutputConfig = {};
    if (thinking.effort !== undefined) outputConfig.effort = thinking.effort;
    if (options.responseFormat?.type === 'json-schema') {
      outputConfig.format = { type: 'json_schema', schema: options.responseFormat.schema };
    } else if (options.responseFormat?.type === 'json') {
      unsupported('responseFormat', 'JSON without a schema is not enforced; give a json-schema for structured output');
    }
    if (Object.keys(outputConfig).length > 0) body.output_config = outputConfig;
    if (providerOptions.userId !== undefined) body.metadata = { user_id: providerOptions.userId };
    return { body, warnings };
  }

  /** Counts the prompt's input tokens with Anthropic's `count_tokens`, before sending it. */
  async countTokens(options: CallOptions): Promise<number> {
    const { body } = this.prepareRequest(options);
    const params: MessageCountTokensParams = { model: body.model, messages: body.messages };
    if (body.system !== undefined) params.system = body.system;
    if (body.tools !== undefined) params.tools = body.tools;
    if (body.tool_choice !== undefined) params.tool_choice = body.tool_choice;
    if (body.thinking !== undefined) params.thinking = body.thinking;
    if (body.output_config !== undefined) params.output_config = body.output_config;
    try {
      const client = this.config.client();
      const result = await client.messages.countTokens(params, { signal: options.abortSignal ?? null, headers: options.headers });
      return result.input_tokens;
    } catch (error) {
      throw this.mapError(error, options.abortSignal);
    }
  }

  async stream(options: CallOptions): Promise<{ stream: ReadableStream<StreamPart> }> {
    const { body, warnings } = this.prepareRequest(options);
    const signal = options.abortSignal;
    let events: AsyncIterator<RawMessageStreamEvent>;
    try {
      const client = this.config.client();
      const { data, response } = await client.messages
        .create({ ...body, stream: true }, { signal: signal ?? null, headers: options.headers })
        .withResponse();
      const contentType = response.headers.get('content-type') ?? '';
      if (!contentType.includes('text/event-stream')) {
        data.controller.abort();
        throw new ProviderError({
          kind: 'server',
          // Most often a base URL that points at a web page or a proxy: retrying the same URL will not help.
          retryable: false,
          status: response.status,
          message: `Anthropic answered with ${contentType.split(';')[0] || 'no content type'} instead of an event stream; check the base URL.`,
          provider: this.provider,
        });
      }
      events = data[Symbol.asyncIterator]();
    } catch (error) {
      throw this.mapError(error, signal);
    }
    return { stream: this.toPartStream(events, warnings, signal) };
  }

  private mapError(error: unknown, abortSignal: AbortSignal | undefined): ProviderError {
    return mapAnthropicError(error, { provider: this.provider, abortSignal, secrets: this.config.secrets() });
  }

  /** Anthropic's stream events → our parts, pulled only as fast as the consumer reads. */
  private toPartStream(
    events: AsyncIterator<RawMessageStreamEvent>,
    warnings: CallWarning[],
    signal: AbortSignal | undefined,
  ): ReadableStream<StreamPart> {
    const provider = this.provider;
    const usage: AnthropicUsageCounts = {};
    /** Open blocks by index: text and reasoning parts, or a tool call being assembled. */
    const blocks = new Map<number, { kind: 'text' | 'reasoning'; id: string } | { kind: 'tool'; id: string; name: string; json: string; initial: unknown }>();
    let sawReasoning = false;
    let stopReason: string | null | undefined;
    let finished = false;

    const closeOpen = (controller: ReadableStreamDefaultController<StreamPart>) => {
      for (const block of blocks.values()) {
        if (block.kind === 'text') controller.enqueue({ type: 'text-end', id: block.id });
        else if (block.kind === 'reasoning') controller.enqueue({ type: 'reasoning-end', id: block.id });
      }
      blocks.clear();
    };
    const finish = (controller: ReadableStreamDefaultController<StreamPart>, finishReason: FinishReason) => {
      if (finished) return;
      finished = true;
      closeOpen(controller);
      controller.enqueue({ type: 'finish', usage: convertAnthropicUsage(usage, { sawReasoning }), finishReason });
      controller.close();
    };
    const fail = (controller: ReadableStreamDefaultController<StreamPart>, error: unknown) => {
      if (signal?.aborted === true) {
        finish(controller, { unified: 'aborted' });
        return;
      }
      const mapped = this.mapError(error, signal);
      closeOpen(controller);
      controller.enqueue({ type: 'error', error: mapped.toData() });
      finish(controller, { unified: 'error', raw: mapped.kind });
    };
    const mergeUsage = (counts: AnthropicUsageCounts | null | undefined, withOutput: boolean) => {
      if (counts == null) return;
      for (const key of ['input_tokens', 'cache_creation_input_tokens', 'cache_read_input_tokens'] as const) {
        const value = counts[key];
        if (typeof value === 'number') usage[key] = value;
      }
      if (!withOutput) return;
      if (typeof counts.output_tokens === 'number') usage.output_tokens = counts.output_tokens;
      if (counts.output_tokens_details != null) usage.output_tokens_details = counts.output_tokens_details;
    };

    const handle = (controller: ReadableStreamDefaultController<StreamPart>, event: RawMessageStreamEvent) => {
      switch (event.type) {
        case 'message_start':
          controller.enqueue({ type: 'response-metadata', id: event.message.id, modelId: event.message.model, timestamp: Date.now() });
          // message_start's output count is a placeholder; the final one comes in message_delta.
          mergeUsage(event.message.usage, false);
          return;
        case 'content_block_start': {
          const block = event.content_block;
          if (block.type === 'text') {
            const id = `text-${event.index}`;
            blocks.set(event.index, { kind: 'text', id });
            controller.enqueue({ type: 'text-start', id });
            if (block.text.length > 0) controller.enqueue({ type: 'text-delta', id, delta: block.text });
          } else if (block.type === 'thinking') {
            sawReasoning = true;
            const id = `reasoning-${event.index}`;
            blocks.set(event.index, { kind: 'reasoning', id });
            controller.enqueue({ type: 'reasoning-start', id });
            if (block.thinking.length > 0) controller.enqueue({ type: 'reasoning-delta', id, delta: block.thinking });
          } else if (block.type === 'redacted_thinking') {
            sawReasoning = true;
          } else if (block.type === 'tool_use') {
            blocks.set(event.index, { kind: 'tool', id: block.id, name: block.name, json: '', initial: block.input });
          }
          return;
        }
        case 'content_block_delta': {
          const block = blocks.get(event.index);
          const delta = event.delta;
          if (block === undefined) return;
          if (delta.type === 'text_delta' && block.kind === 'text') controller.enqueue({ type: 'text-delta', id: block.id, delta: delta.text });
          else if (delta.type === 'thinking_delta' && block.kind === 'reasoning') controller.enqueue({ type: 'reasoning-delta', id: block.id, delta: delta.thinking });
          else if (delta.type === 'input_json_delta' && block.kind === 'tool') block.json += delta.partial_json;
          // signature_delta and citations_delta carry nothing the spec has a part for.
          return;
        }
        case 'content_block_stop': {
          const block = blocks.get(event.index);
          if (block === undefined) return;
          blocks.delete(event.index);
          if (block.kind === 'text') controller.enqueue({ type: 'text-end', id: block.id });
          else if (block.kind === 'reasoning') controller.enqueue({ type: 'reasoning-end', id: block.id });
          else if (block.kind === 'tool') controller.enqueue({ type: 'tool-call', toolCallId: block.id, toolName: block.name, input: toolInput(block.json, block.initial) });
          return;
        }
        case 'message_delta':
          stopReason = event.delta.stop_reason;
          mergeUsage(event.usage, true);
          return;
        case 'message_stop':
          finish(controller, mapAnthropicStopReason(stopReason));
          return;
        default:
          return;
      }
    };

    return new ReadableStream<StreamPart>({
      start(controller) {
        controller.enqueue({ type: 'stream-start', warnings });
      },
      async pull(controller) {
        // Read until at least one part is queued, so a ping or a tool's JSON does not stall the reader.
        const before = controller.desiredSize;
        while (!finished) {
          let result: IteratorResult<RawMessageStreamEvent>;
          try {
            result = await events.next();
          } catch (error) {
            fail(controller, error);
            return;
          }
          if (result.done) {
            if (signal?.aborted === true) finish(controller, { unified: 'aborted' });
            else fail(controller, new ProviderError({ kind: 'connection', message: 'The Anthropic stream ended before message_stop.', provider }));
            return;
          }
          handle(controller, result.value);
          if (controller.desiredSize !== before) return;
        }
      },
      async cancel() {
        // Ends the HTTP request: the SDK aborts a stream whose iterator returns early.
        await events.return?.();
      },
    });
  }
}

/** A tool call's input as JSON text: the streamed deltas, or the block's own input when none came. */
function toolInput(json: string, initial: unknown): string {
  if (json.length > 0) return json;
  if (initial !== undefined && initial !== null) return JSON.stringify(initial);
  return '{}';
}
