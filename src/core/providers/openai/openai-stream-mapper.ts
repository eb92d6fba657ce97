import type { FinishReason, ProviderError, StreamPart, Usage } from '../../../shared/llm';
import { convertOpenAIUsage } from './convert-openai-usage';
import { mapOpenAIFinishReason } from './map-openai-finish-reason';
import type { OpenAIChunk, OpenAIChunkDelta } from './openai-chunk-schema';
import type { OpenAICompat } from './openai-compat';

export interface OpenAIStreamMapperOptions {
  /** Delta fields read as reasoning text (`reasoningFields(compat)`). */
  reasoningFields: readonly string[];
  readUsageExtras?: OpenAICompat['readUsageExtras'];
  /** Receives each part, in order. */
  emit: (part: StreamPart) => void;
}

interface PendingToolCall {
  id: string;
  name: string;
  arguments: string;
}

/**
 * Chat completion chunks → spec parts (everything after `stream-start`): response metadata from
 * the first chunk, text and reasoning blocks (a block that closes and opens again, as text after
 * reasoning after text, gets a new id), tool calls assembled from their pieces and sent whole when
 * the finish reason arrives, and one `finish` with the usage by kind at the end.
 */
export class OpenAIStreamMapper {
  private readonly options: OpenAIStreamMapperOptions;
  private textOpen = false;
  private reasoningOpen = false;
  private textBlocks = 0;
  private reasoningBlocks = 0;
  private textId = 'text-0';
  private reasoningId = 'reasoning-0';
  private metadataSent = false;
  private finishReason: FinishReason | undefined;
  private rawUsage: unknown;
  private readonly toolCalls: PendingToolCall[] = [];
  private toolCallsSent = false;
  private ended = false;

  constructor(options: OpenAIStreamMapperOptions) {
    this.options = options;
  }

  chunk(chunk: OpenAIChunk): void {
    const { emit } = this.options;
    if (!this.metadataSent) {
      this.metadataSent = true;
      emit({
        type: 'response-metadata',
        ...(typeof chunk.id === 'string' ? { id: chunk.id } : {}),
        ...(typeof chunk.model === 'string' ? { modelId: chunk.model } : {}),
        ...(typeof chunk.created === 'number' ? { timestamp: chunk.created * 1000 } : {}),
      });
    }
    if (chunk.usage !== undefined && chunk.usage !== null) this.rawUsage = chunk.usage;
    const choice = chunk.choices?.[0];
    if (choice === undefined) return;
    const delta = choice.delta;
    if (delta !== undefined && delta !== null) this.delta(delta);
    if (choice.finish_reason !== null && choice.finish_reason !== undefined) {
      this.finishReason = mapOpenAIFinishReason(choice.finish_reason);
      this.closeBlocks();
      this.flushToolCalls();
    }
  }

  /**
   * Closes what is open and sends `finish` (after an `error` part when `error` is given); later
   * calls do nothing. `aborted`: the caller's signal ended the stream.
   */
  end(error?: ProviderError, aborted = false): void {
    if (this.ended) return;
    this.ended = true;
    const { emit } = this.options;
    this.closeBlocks();
    if (error !== undefined) {
      emit({ type: 'error', error: error.toData() });
      emit({ type: 'finish', usage: this.usage(), finishReason: { unified: 'error', raw: this.finishReason?.raw ?? error.kind } });
      return;
    }
    if (this.finishReason !== undefined) this.flushToolCalls();
    const reason: FinishReason = this.finishReason ?? (aborted ? { unified: 'aborted' } : { unified: 'other' });
    emit({ type: 'finish', usage: this.usage(), finishReason: reason });
  }

  private delta(delta: OpenAIChunkDelta): void {
    const { emit, reasoningFields } = this.options;
    for (const field of reasoningFields) {
      const piece = delta[field];
      if (typeof piece !== 'string' || piece === '') continue;
      if (!this.reasoningOpen) {
        this.reasoningId = `reasoning-${this.reasoningBlocks++}`;
        emit({ type: 'reasoning-start', id: this.reasoningId });
      }
      this.reasoningOpen = true;
      emit({ type: 'reasoning-delta', id: this.reasoningId, delta: piece });
    }
    const content = delta.content;
    if (typeof content === 'string' && content !== '') {
      if (this.reasoningOpen) emit({ type: 'reasoning-end', id: this.reasoningId });
      this.reasoningOpen = false;
      if (!this.textOpen) {
        this.textId = `text-${this.textBlocks++}`;
        emit({ type: 'text-start', id: this.textId });
      }
      this.textOpen = true;
      emit({ type: 'text-delta', id: this.textId, delta: content });
    }
    if (Array.isArray(delta.tool_calls)) {
      for (const part of delta.tool_calls) {
        const index = typeof part.index === 'number' ? part.index : this.toolCalls.length;
        let call = this.toolCalls[index];
        if (call === undefined) {
          call = { id: part.id ?? `call_${index}_${Math.random().toString(36).slice(2, 10)}`, name: part.function?.name ?? '', arguments: '' };
          this.toolCalls[index] = call;
        } else if (part.function?.name) {
          call.name = call.name || part.function.name;
        }
        if (typeof part.function?.arguments === 'string') call.arguments += part.function.arguments;
      }
    }
  }

  private flushToolCalls(): void {
    if (this.toolCallsSent) return;
    this.toolCallsSent = true;
    for (const call of this.toolCalls) {
      // A sparse array when the server skipped an index.
      if (call === undefined) continue;
      this.options.emit({ type: 'tool-call', toolCallId: call.id, toolName: call.name, input: call.arguments === '' ? '{}' : call.arguments });
    }
  }

  private closeBlocks(): void {
    const { emit } = this.options;
    if (this.reasoningOpen) emit({ type: 'reasoning-end', id: this.reasoningId });
    if (this.textOpen) emit({ type: 'text-end', id: this.textId });
    this.reasoningOpen = false;
    this.textOpen = false;
  }

  private usage(): Usage {
    const raw = this.rawUsage;
    if (raw === undefined || raw === null) return { inputTokens: {}, outputTokens: {} };
    const readExtras = this.options.readUsageExtras;
    const extras = readExtras && typeof raw === 'object' ? readExtras(raw as Record<string, unknown>) : undefined;
    return convertOpenAIUsage(raw, extras);
  }
}
