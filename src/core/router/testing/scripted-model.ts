import {
  ProviderError,
  type CallOptions,
  type LanguageModel,
  type ModelCapabilities,
  type ProviderErrorKind,
  type StreamPart,
} from '../../../shared/llm';
import type { VirtualTime } from './virtual-time';

/** What one call of a scripted model does. A fake of the provider side, built from the model spec. */
export interface CallScript {
  /** `stream()` rejects before any stream exists. */
  reject?: { kind: ProviderErrorKind; retryAfterMs?: number; retryable?: boolean };
  /** Virtual ms before the first token. */
  ttftMs?: number;
  /** Virtual ms between tokens. */
  tokenMs?: number;
  tokens?: string[];
  /** Fail with this error part, after `afterTokens` tokens (0: before the first). */
  fault?: { kind: ProviderErrorKind; afterTokens?: number; retryAfterMs?: number; retryable?: boolean };
  /** End the stream with no finish part (a protocol fault). */
  noFinish?: boolean;
  /** After the tokens, wait until the signal aborts. */
  hang?: boolean;
  usage?: { input: number; output: number };
}

export interface ScriptedModel extends LanguageModel {
  readonly calls: CallOptions[];
}

/** Each call takes the next script; the last one repeats. */
export function scriptedModel(
  time: VirtualTime,
  scripts: CallScript[],
  id: { provider?: string; modelId?: string; capabilities?: Partial<ModelCapabilities> } = {},
): ScriptedModel {
  const calls: CallOptions[] = [];
  const provider = id.provider ?? 'mock';
  return {
    provider,
    modelId: id.modelId ?? 'scripted',
    capabilities: { vision: true, tools: true, reasoning: true, json: true, ...id.capabilities },
    calls,
    async stream(options) {
      const script = scripts[Math.min(calls.length, scripts.length - 1)] ?? {};
      calls.push(options);
      if (script.reject) {
        throw new ProviderError({ ...script.reject, message: `scripted ${script.reject.kind}`, provider });
      }
      const parts = generate(script, time, provider, options.abortSignal);
      return {
        stream: new ReadableStream<StreamPart>({
          async pull(c) {
            const next = await parts.next();
            if (next.done) c.close();
            else c.enqueue(next.value);
          },
        }),
      };
    },
  };
}

async function* generate(script: CallScript, time: VirtualTime, provider: string, signal: AbortSignal | undefined): AsyncGenerator<StreamPart> {
  const tokens = script.tokens ?? ['Hel', 'lo'];
  const usage = { inputTokens: { total: script.usage?.input ?? 10 }, outputTokens: { total: script.usage?.output ?? tokens.length } };
  yield { type: 'stream-start', warnings: [] };
  yield { type: 'response-metadata', id: 'resp', modelId: 'scripted' };
  const fail = (kind: ProviderErrorKind, extra: { retryAfterMs?: number; retryable?: boolean }, sent: number): StreamPart[] => [
    { type: 'error', error: new ProviderError({ kind, message: `scripted ${kind}`, provider, ...extra }).toData() },
    {
      type: 'finish',
      usage: { inputTokens: usage.inputTokens, outputTokens: { total: sent } },
      finishReason: { unified: kind === 'aborted' ? 'aborted' : 'error' },
    },
  ];
  time.advance(script.ttftMs ?? 0);
  let sent = 0;
  for (const token of tokens) {
    if (script.fault && (script.fault.afterTokens ?? 0) === sent) {
      yield* fail(script.fault.kind, faultExtra(script.fault), sent);
      return;
    }
    if (signal?.aborted) {
      yield* fail('aborted', {}, sent);
      return;
    }
    if (sent === 0) yield { type: 'text-start', id: 't' };
    if (sent > 0) time.advance(script.tokenMs ?? 0);
    yield { type: 'text-delta', id: 't', delta: token };
    sent++;
  }
  if (script.fault && (script.fault.afterTokens ?? 0) >= sent) {
    yield* fail(script.fault.kind, faultExtra(script.fault), sent);
    return;
  }
  if (script.hang) {
    if (!signal) throw new Error('a hanging script needs an abort signal');
    if (!signal.aborted) await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    yield* fail('aborted', {}, sent);
    return;
  }
  if (sent > 0) yield { type: 'text-end', id: 't' };
  if (script.noFinish) return;
  yield { type: 'finish', usage, finishReason: { unified: 'stop', raw: 'stop' } };
}

function faultExtra({ retryAfterMs, retryable }: NonNullable<CallScript['fault']>): { retryAfterMs?: number; retryable?: boolean } {
  return { ...(retryAfterMs !== undefined && { retryAfterMs }), ...(retryable !== undefined && { retryable }) };
}
