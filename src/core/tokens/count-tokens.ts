/**
 * Token counting before a request, by the best method the target offers:
 *   provider  — the provider's own endpoint (Anthropic's count_tokens), injected as `countTokens`;
 *   tokenizer — OpenAI's BPE (gpt-tokenizer), with the chat format's per-message overhead;
 *   engine    — the local engine's tokenizer for the loaded GGUF, injected as `tokenize`;
 *   estimate  — characters / 4, flagged `estimated: true`.
 * A provider or engine that fails falls through to the next method; the result says which ran.
 */
import type { CallOptions, Message, ToolDefinition } from '../../shared/llm';
import type { CountTokens } from '../providers/types';
import { openAIEncodingFor, type OpenAIEncodingName } from './openai-encoding';

/** The call to be counted: only messages, system and tools are read (the provider counter gets it whole). */
export type TokenCountRequest = CallOptions;

/** The provider's own counter (`createAnthropic(...).countTokens(modelId)`), bound to a model. */
export type { CountTokens };
/** The local engine's tokenizer, bound to a model path. */
export type Tokenize = (text: string) => Promise<number[]>;

export interface TokenCountTarget {
  provider: string;
  modelId: string;
  countTokens?: CountTokens;
  tokenize?: Tokenize;
}

export type TokenCountMethod = 'provider' | 'tokenizer' | 'engine' | 'estimate';

export interface TokenCount {
  tokens: number;
  method: TokenCountMethod;
  /** True when the figure is approximate: the chars/4 estimate, or a tokenizer count with images or tools. */
  estimated: boolean;
  encoding?: OpenAIEncodingName;
  /** Methods that were tried and failed, with why. */
  fallbacks?: { method: TokenCountMethod; reason: string }[];
}

/** OpenAI's chat format: every message costs 3 tokens beyond its content and role, and the reply is primed with 3. */
export const TOKENS_PER_MESSAGE = 3;
export const REPLY_PRIMING_TOKENS = 3;
/** An image of unknown size, counted as a 1024×1024 high-detail image (85 base + 4 tiles × 170). */
export const IMAGE_TOKENS_ESTIMATE = 765;
export const CHARS_PER_TOKEN = 4;

/** The text a message carries, as the model sees it, plus how many images it holds. */
function messageContent(message: Message): { text: string; images: number } {
  let text = '';
  let images = 0;
  for (const part of message.content) {
    switch (part.type) {
      case 'text':
      case 'reasoning':
        text += part.text;
        break;
      case 'image':
        images++;
        break;
      case 'tool-call':
        text += `${part.toolName}${JSON.stringify(part.input ?? null)}`;
        break;
      case 'tool-result':
        text += typeof part.output === 'string' ? part.output : JSON.stringify(part.output ?? null);
        break;
    }
  }
  return { text, images };
}

function toolsText(tools: ToolDefinition[] | undefined): string {
  return tools && tools.length > 0 ? JSON.stringify(tools) : '';
}

/** All text of a request, one block per message, for counters that only take text. */
export function requestText(request: TokenCountRequest): string {
  const blocks: string[] = [];
  if (request.system) blocks.push(`system: ${request.system}`);
  for (const m of request.messages) blocks.push(`${m.role}: ${messageContent(m).text}`);
  const tools = toolsText(request.tools);
  if (tools) blocks.push(tools);
  return blocks.join('\n');
}

/** chars / 4, rounded up, plus the image estimate. */
export function estimateTokens(request: TokenCountRequest): number {
  const images = request.messages.reduce((n, m) => n + messageContent(m).images, 0);
  return Math.ceil(requestText(request).length / CHARS_PER_TOKEN) + images * IMAGE_TOKENS_ESTIMATE;
}

type Encoder = (text: string) => number;
const encoders = new Map<OpenAIEncodingName, Promise<Encoder>>();

/** Loads an encoding on first use (each holds a few MB of ranks). */
function loadEncoder(name: OpenAIEncodingName): Promise<Encoder> {
  let encoder = encoders.get(name);
  if (!encoder) {
    encoder =
      name === 'o200k_base'
        ? import('gpt-tokenizer/encoding/o200k_base').then((m) => (t: string) => m.encode(t).length)
        : import('gpt-tokenizer/encoding/cl100k_base').then((m) => (t: string) => m.encode(t).length);
    encoders.set(name, encoder);
  }
  return encoder;
}

/** Counts a chat request the way OpenAI's chat format bills it (the OpenAI cookbook's method). */
export async function countOpenAITokens(
  request: TokenCountRequest,
  encoding: OpenAIEncodingName,
): Promise<{ tokens: number; estimated: boolean }> {
  const count = await loadEncoder(encoding);
  let tokens = REPLY_PRIMING_TOKENS;
  let estimated = false;
  const messages: { role: string; text: string; images: number }[] = [];
  if (request.system !== undefined) messages.push({ role: 'system', text: request.system, images: 0 });
  for (const m of request.messages) messages.push({ role: m.role, ...messageContent(m) });
  for (const m of messages) {
    tokens += TOKENS_PER_MESSAGE + count(m.role) + count(m.text) + m.images * IMAGE_TOKENS_ESTIMATE;
    if (m.images > 0) estimated = true;
  }
  const tools = toolsText(request.tools);
  if (tools) {
    // OpenAI does not document how tool definitions are rendered; the JSON is a close stand-in.
    tokens += count(tools);
    estimated = true;
  }
  return { tokens, estimated };
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function countTokens(request: TokenCountRequest, target: TokenCountTarget): Promise<TokenCount> {
  const fallbacks: NonNullable<TokenCount['fallbacks']> = [];
  const withFallbacks = (result: TokenCount): TokenCount => (fallbacks.length > 0 ? { ...result, fallbacks } : result);

  if (target.countTokens) {
    try {
      const tokens = await target.countTokens(request);
      return withFallbacks({ tokens, method: 'provider', estimated: false });
    } catch (error) {
      fallbacks.push({ method: 'provider', reason: reason(error) });
    }
  }
  const encoding = openAIEncodingFor(target.modelId);
  if (encoding && ['openai', 'azure', 'openrouter'].includes(target.provider)) {
    const { tokens, estimated } = await countOpenAITokens(request, encoding);
    return withFallbacks({ tokens, method: 'tokenizer', estimated, encoding });
  }
  if (target.tokenize) {
    try {
      // The chat template's own tokens are not counted; the text is what dominates.
      const tokens = (await target.tokenize(requestText(request))).length;
      return withFallbacks({ tokens, method: 'engine', estimated: false });
    } catch (error) {
      fallbacks.push({ method: 'engine', reason: reason(error) });
    }
  }
  return withFallbacks({ tokens: estimateTokens(request), method: 'estimate', estimated: true });
}
