import { describe, expect, it } from 'vitest';
import { type CallOptions } from '../../shared/llm';
import { createDeployment } from '../router';
import { countTokens } from '../tokens';
import { promptTokenBound, promptTokenCounter } from './prompt-tokens';

const ask = (text: string, extra: Partial<CallOptions> = {}): CallOptions => ({ messages: [{ role: 'user', content: [{ type: 'text', text }] }], ...extra });
const gpt = (contextWindow?: number) => createDeployment({ provider: 'openai', providerType: 'openai', model: 'gpt-4o', ...(contextWindow !== undefined && { contextWindow }) });

describe('prompt tokens for the context filter', () => {
  it('bounds every tokenizer from above (UTF-8 bytes plus the chat overhead)', async () => {
    for (const text of ['hello world', 'naïve café ünïcödé', '日本語のテキストです', 'x'.repeat(5000)]) {
      const exact = await countTokens(ask(text), { provider: 'openai', modelId: 'gpt-4o' });
      expect(promptTokenBound(ask(text))).toBeGreaterThanOrEqual(exact.tokens);
    }
  });

  it('does not count when no deployment has a window, or the bound fits the smallest one', async () => {
    const count = promptTokenCounter(ask('short', { maxOutputTokens: 100 }));
    expect(await count([gpt()])).toBeUndefined();
    expect(await count([gpt(128_000), gpt(4_000)])).toBeUndefined();
  });

  it('counts once, with the tokenizer of the first deployment that has a window, when the bound is close', async () => {
    const options = ask('word '.repeat(400), { maxOutputTokens: 100 });
    const count = promptTokenCounter(options);
    const exact = (await countTokens(options, { provider: 'openai', modelId: 'gpt-4o' })).tokens;
    expect(await count([gpt(), gpt(1_000)])).toEqual({ tokens: exact, estimated: false });
    expect(exact).toBeLessThan(promptTokenBound(options));
    // The second group of the same request reuses the count.
    expect(await count([gpt(500)])).toEqual({ tokens: exact, estimated: false });
  });

  it('falls back to the flagged characters / 4 estimate for models without a tokenizer', async () => {
    const options = ask('word '.repeat(400));
    const local = createDeployment({ provider: 'local', providerType: 'local', model: 'tiny', contextWindow: 500 });
    expect(await promptTokenCounter(options)([local])).toEqual({ tokens: Math.ceil('user: '.concat('word '.repeat(400)).length / 4), estimated: true });
  });
});
