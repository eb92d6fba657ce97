import { APIError } from 'openai';
import { ProviderError, type StreamPart } from '../../../shared/llm';
import { type OpenAIChunk, openAIChunkSchema } from './openai-chunk-schema';
import { type OpenAICompat, reasoningFields } from './openai-compat';
import { convertOpenAIError, providerLabel, type OpenAIErrorContext } from './openai-error';
import { OpenAIStreamMapper } from './openai-stream-mapper';
import { SSEDataDecoder } from './parse-openai-sse';

export interface OpenAIEventReaderOptions {
  compat: OpenAICompat | undefined;
  /** The answer's headers, for an error event (built only then). */
  headers: () => Headers;
  errorContext: () => OpenAIErrorContext;
  emit: (part: StreamPart) => void;
}

/**
 * The bytes of a chat completions event stream → spec parts (everything after `stream-start`):
 * UTF-8 decoding, SSE framing, `[DONE]`, error events, the chunk check and the mapper, in one
 * synchronous step per network read. Shared by the SDK's path (`openAIPartStream`) and the direct
 * one (`openai-chat-http.ts`).
 */
export class OpenAIEventReader {
  private readonly utf8 = new TextDecoder();
  private readonly sse = new SSEDataDecoder();
  private readonly mapper: OpenAIStreamMapper;
  private done = false;
  private ended = false;

  constructor(private readonly options: OpenAIEventReaderOptions) {
    this.mapper = new OpenAIStreamMapper({
      reasoningFields: reasoningFields(options.compat),
      ...(options.compat?.readUsageExtras === undefined ? {} : { readUsageExtras: options.compat.readUsageExtras }),
      emit: options.emit,
    });
  }

  /** One network read. Throws on an error event or a malformed one (the caller ends with it). */
  push(bytes: Uint8Array): void {
    const events = this.sse.push(this.utf8.decode(bytes, { stream: true }));
    for (const data of events) this.onEvent(data);
  }

  /**
   * Ends the parts: `finish`, after an `error` part when `error` is given (converted to a
   * ProviderError). `aborted`: the caller's signal ended it (no error part). Later calls do nothing.
   */
  end(error?: unknown, aborted = false): void {
    if (this.ended) return;
    this.ended = true;
    const converted = error === undefined ? undefined : convertOpenAIError(error, this.options.errorContext());
    if (aborted || converted?.kind === 'aborted') this.mapper.end(undefined, true);
    else this.mapper.end(converted);
  }

  private onEvent(data: string): void {
    // The SDK's rule: `[DONE]` ends the stream, and whatever follows it is ignored.
    if (this.done) return;
    if (data.startsWith('[DONE]')) {
      this.done = true;
      return;
    }
    const json = JSON.parse(data) as unknown;
    if (isErrorEvent(json)) throw new APIError(undefined, json.error, undefined, this.options.headers());
    // The common chunk passes a hand check; anything else gets the schema (and its message).
    if (isPlainChunk(json)) {
      this.mapper.chunk(json);
      return;
    }
    const parsed = openAIChunkSchema.safeParse(json);
    if (!parsed.success) {
      const { provider } = this.options.errorContext();
      const issue = parsed.error.issues[0];
      const where = issue === undefined || issue.path.length === 0 ? '' : ` (at ${issue.path.join('.')})`;
      throw new ProviderError({ kind: 'server', provider, message: `${providerLabel(provider)} sent a stream event that is not a chat completion chunk${where}.` });
    }
    this.mapper.chunk(parsed.data);
  }
}

function isErrorEvent(json: unknown): json is { error: NonNullable<unknown> } {
  // The SDK's test: any event whose `error` is truthy.
  return typeof json === 'object' && json !== null && 'error' in json && Boolean(json.error);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const optString = (v: unknown) => v === undefined || v === null || typeof v === 'string';

/**
 * True for a chunk `openAIChunkSchema` accepts as it is, in the shapes servers send per token
 * (no tool calls): checked by hand, since the schema costs several µs per event. False means
 * "not sure" (the schema decides), never "invalid".
 */
export function isPlainChunk(json: unknown): json is OpenAIChunk {
  if (!isObject(json)) return false;
  if (!optString(json.id) || !optString(json.model)) return false;
  const created = json.created;
  if (created !== undefined && created !== null && typeof created !== 'number') return false;
  const choices = json.choices;
  if (choices === undefined || choices === null) return true;
  if (!Array.isArray(choices)) return false;
  for (const choice of choices) {
    if (!isObject(choice) || !optString(choice.finish_reason)) return false;
    const delta = choice.delta;
    if (delta === undefined || delta === null) continue;
    if (!isObject(delta) || !optString(delta.content)) return false;
    if (delta.tool_calls !== undefined && delta.tool_calls !== null) return false;
  }
  return true;
}
