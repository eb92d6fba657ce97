import { messageText, type CallOptions, type Usage } from '../../../shared/llm';
import type { MockUsage } from './mock-settings';

const estimate = (characters: number) => Math.ceil(characters / 4);

/** The prompt's characters: system, text parts, tool calls and results. */
function promptCharacters(options: CallOptions): number {
  let characters = options.system?.length ?? 0;
  for (const message of options.messages) {
    characters += messageText(message).length;
    for (const part of message.content) {
      if (part.type === 'tool-call') characters += JSON.stringify(part.input ?? null).length;
      if (part.type === 'tool-result') characters += (typeof part.output === 'string' ? part.output : JSON.stringify(part.output ?? null)).length;
      if (part.type === 'reasoning') characters += part.text.length;
    }
  }
  return characters;
}

/**
 * Usage of a mock answer. Given counts are reported as they are (a count left out stays
 * undefined); otherwise tokens are estimated as characters / 4, and `raw` says so.
 */
export function mockUsage(options: CallOptions, output: { text: string; reasoning: string; toolInputs: string[] }, given: MockUsage | undefined): Usage {
  if (given !== undefined) {
    const { inputTokens, outputTokens, cacheReadTokens, reasoningTokens } = given;
    return {
      inputTokens: {
        total: inputTokens,
        noCache: inputTokens !== undefined && cacheReadTokens !== undefined ? inputTokens - cacheReadTokens : undefined,
        cacheRead: cacheReadTokens,
        cacheWrite: undefined,
      },
      outputTokens: {
        total: outputTokens,
        text: outputTokens !== undefined && reasoningTokens !== undefined ? outputTokens - reasoningTokens : undefined,
        reasoning: reasoningTokens,
      },
      raw: { mock: true, estimated: false },
    };
  }
  const text = estimate(output.text.length + output.toolInputs.reduce((n, s) => n + s.length, 0));
  const reasoning = output.reasoning.length > 0 ? estimate(output.reasoning.length) : undefined;
  const input = estimate(promptCharacters(options));
  return {
    inputTokens: { total: input, noCache: undefined, cacheRead: undefined, cacheWrite: undefined },
    outputTokens: { total: text + (reasoning ?? 0), text, reasoning },
    raw: { mock: true, estimated: true, method: 'characters / 4' },
  };
}
