import { describe, expect, it, vi } from 'vitest';
import type { Message } from '../../shared/llm';
import { countOpenAITokens, countTokens, estimateTokens, type TokenCountRequest } from './count-tokens';
import { openAIEncodingFor } from './openai-encoding';

const user = (text: string): Message => ({ role: 'user', content: [{ type: 'text', text }] });
const hello: TokenCountRequest = { system: 'You are a helpful assistant.', messages: [user('Hello!')] };

describe('openAIEncodingFor', () => {
  it('o200k for gpt-4o, gpt-4.1, the o-series and gpt-5; cl100k for older models', () => {
    for (const id of ['gpt-4o', 'gpt-4o-mini-2024-07-18', 'gpt-4.1', 'o1', 'o3-mini', 'o4-mini', 'gpt-5', 'openai/gpt-5-mini']) {
      expect(openAIEncodingFor(id), id).toBe('o200k_base');
    }
    for (const id of ['gpt-4', 'gpt-4-turbo', 'gpt-3.5-turbo', 'text-embedding-3-small']) {
      expect(openAIEncodingFor(id), id).toBe('cl100k_base');
    }
    expect(openAIEncodingFor('claude-sonnet-4-5')).toBeUndefined();
  });
});

describe('countOpenAITokens', () => {
  it('counts text with the chat overhead', async () => {
    // cl100k: "tiktoken is great!" = [83, 1609, 5963, 374, 2294, 0] (OpenAI cookbook) = 6 tokens;
    // "user" = 1; per message 3; reply priming 3 → 3 + 1 + 6 + 3 = 13.
    expect(await countOpenAITokens({ messages: [user('tiktoken is great!')] }, 'cl100k_base')).toEqual({ tokens: 13, estimated: false });
    // o200k: "Hello, world!" = Hello , ␣world ! = 4 tokens → 3 + 1 + 4 + 3 = 11.
    expect((await countOpenAITokens({ messages: [user('Hello, world!')] }, 'o200k_base')).tokens).toBe(11);
  });
  it('system + user: 19 tokens, as the cookbook and gpt-tokenizer encodeChat count it', async () => {
    // system: 3 + "system"(1) + "You are a helpful assistant."(6) = 10
    // user:   3 + "user"(1)   + "Hello!"(2)                        = 6
    // reply priming 3 → 19
    expect((await countOpenAITokens(hello, 'o200k_base')).tokens).toBe(19);
    expect((await countOpenAITokens(hello, 'cl100k_base')).tokens).toBe(19);
    const { encodeChat } = await import('gpt-tokenizer/encoding/o200k_base');
    const chat = [
      { role: 'system' as const, content: 'You are a helpful assistant.' },
      { role: 'user' as const, content: 'Hello!' },
    ];
    expect(encodeChat(chat, 'gpt-4o').length).toBe(19);
  });
  it('images and tools make the count an estimate', async () => {
    const withImage: TokenCountRequest = {
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello!' }, { type: 'image', mediaType: 'image/png', data: 'AAAA' }] }],
    };
    // 3 + 1 + 2 + 765 (one image, unknown size) + 3 = 774
    expect(await countOpenAITokens(withImage, 'o200k_base')).toEqual({ tokens: 774, estimated: true });
    const withTools: TokenCountRequest = { messages: [user('Hi')], tools: [{ name: 'f', inputSchema: { type: 'object' } }] };
    expect((await countOpenAITokens(withTools, 'o200k_base')).estimated).toBe(true);
  });
});

describe('countTokens: choosing the method', () => {
  it('provider: the injected count_tokens wins', async () => {
    const count = vi.fn(async () => 42);
    expect(await countTokens(hello, { provider: 'anthropic', modelId: 'claude-sonnet-4-5', countTokens: count })).toEqual({
      tokens: 42,
      method: 'provider',
      estimated: false,
    });
    expect(count).toHaveBeenCalledWith(hello);
  });
  it('a failing provider counter falls through and says so', async () => {
    const r = await countTokens(hello, {
      provider: 'anthropic',
      modelId: 'claude-sonnet-4-5',
      countTokens: async () => {
        throw new Error('connection refused');
      },
    });
    expect(r.method).toBe('estimate');
    expect(r.fallbacks).toEqual([{ method: 'provider', reason: 'connection refused' }]);
  });
  it('tokenizer: OpenAI models through openai, azure and openrouter', async () => {
    expect(await countTokens(hello, { provider: 'openai', modelId: 'gpt-4o' })).toEqual({
      tokens: 19,
      method: 'tokenizer',
      estimated: false,
      encoding: 'o200k_base',
    });
    expect((await countTokens(hello, { provider: 'openrouter', modelId: 'openai/gpt-4' })).encoding).toBe('cl100k_base');
    // an OpenAI-looking id on another provider is not assumed to use OpenAI's tokenizer
    expect((await countTokens(hello, { provider: 'ollama', modelId: 'gpt-oss:20b' })).method).toBe('estimate');
  });
  it("engine: the local engine's tokenizer", async () => {
    const tokenize = vi.fn(async (text: string) => Array.from({ length: text.split(' ').length }, (_, i) => i));
    const r = await countTokens(hello, { provider: 'local', modelId: 'qwen', tokenize });
    // "system: You are a helpful assistant.\nuser: Hello!" split on spaces → 7 pieces
    expect(tokenize).toHaveBeenCalledWith('system: You are a helpful assistant.\nuser: Hello!');
    expect(r).toEqual({ tokens: 7, method: 'engine', estimated: false });
  });
  it('estimate: chars / 4, rounded up, flagged', async () => {
    // "user: abcdefgh" = 14 chars → ceil(14 / 4) = 4
    expect(estimateTokens({ messages: [user('abcdefgh')] })).toBe(4);
    expect(await countTokens({ messages: [user('abcdefgh')] }, { provider: 'mistral', modelId: 'mistral-large' })).toEqual({
      tokens: 4,
      method: 'estimate',
      estimated: true,
    });
  });
});
