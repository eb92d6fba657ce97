import { type CallOptions } from '../../shared/llm';
import { type Deployment } from '../router';
import { IMAGE_TOKENS_ESTIMATE, REPLY_PRIMING_TOKENS, TOKENS_PER_MESSAGE, countTokens, requestText } from '../tokens';

/** A prompt's token count, and whether it is an estimate (characters / 4, or a tokenizer count with images or tools). */
export interface PromptTokens {
  tokens: number;
  estimated: boolean;
}

/** Per message beyond its text: the chat format's overhead and a role of a few tokens. */
const MESSAGE_OVERHEAD = TOKENS_PER_MESSAGE + 4;

/**
 * A bound no tokenizer's count exceeds: every token covers at least one byte of UTF-8 text, plus
 * the chat format's overhead and the image estimate. Cheap (one pass over the text).
 */
export function promptTokenBound(options: CallOptions): number {
  const images = options.messages.reduce((n, m) => n + m.content.filter((p) => p.type === 'image').length, 0);
  const messages = options.messages.length + (options.system === undefined ? 0 : 1);
  return Buffer.byteLength(requestText(options), 'utf8') + messages * MESSAGE_OVERHEAD + REPLY_PRIMING_TOKENS + images * IMAGE_TOKENS_ESTIMATE;
}

/**
 * The prompt's token count for the router's context filter, once per request and only when it
 * matters: when the cheap bound (plus max output) fits the smallest known window of a group, no
 * count is needed. Otherwise it counts with the cheapest adequate counter for the first deployment
 * that has a window: OpenAI's tokenizer for OpenAI-family models, else the characters / 4 estimate
 * (core/tokens; a provider's count_tokens call is not made here, it would cost a round trip).
 */
export function promptTokenCounter(options: CallOptions): (deployments: readonly Deployment[]) => Promise<PromptTokens | undefined> {
  let bound: number | undefined;
  let counted: Promise<PromptTokens> | undefined;
  return async (deployments) => {
    let smallest = Infinity;
    let first: Deployment | undefined;
    for (const d of deployments) {
      if (d.contextWindow === undefined) continue;
      first ??= d;
      smallest = Math.min(smallest, d.contextWindow);
    }
    if (first === undefined) return undefined;
    bound ??= promptTokenBound(options);
    if (bound + (options.maxOutputTokens ?? 0) <= smallest) return undefined;
    const target = first;
    counted ??= countTokens(options, { provider: target.providerType, modelId: target.model }).then((c) => ({ tokens: c.tokens, estimated: c.estimated }));
    return counted;
  };
}
