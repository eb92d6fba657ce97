import { describe, expect, it } from 'vitest';
import { checkMetadata } from './gguf-preflight';
import { resolveThreads } from './threads';
import { toChatHistory } from './chat-history';

type Metadata = Parameters<typeof checkMetadata>[0]['metadata'];

// readGgufFileInfo nests dotted keys; build the same shape.
function metadata(flat: Record<string, unknown>): { metadata: Metadata } {
  const root: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(flat)) {
    const parts = key.split('.');
    let node = root;
    for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
    node[parts.at(-1)!] = value;
  }
  return { metadata: root as unknown as Metadata };
}

const llama = {
  'general.architecture': 'llama',
  'llama.context_length': 2048,
  'llama.embedding_length': 64,
  'llama.block_count': 2,
  'llama.attention.head_count': 4,
  'llama.feed_forward_length': 176,
  'llama.attention.layer_norm_rms_epsilon': 1e-5,
  'tokenizer.ggml.model': 'llama',
  'tokenizer.ggml.tokens': ['<unk>'],
};

describe('checkMetadata', () => {
  it('accepts a complete llama model', () => {
    expect(checkMetadata(metadata(llama))).toBeUndefined();
  });

  it('names the keys whose absence would abort llama.cpp', () => {
    const { ['llama.attention.head_count']: _h, ['llama.feed_forward_length']: _f, ...rest } = llama;
    expect(checkMetadata(metadata(rest))).toBe('missing metadata keys llama.attention.head_count, llama.feed_forward_length');
  });

  it('requires an architecture and a tokenizer', () => {
    const { ['general.architecture']: _a, ...noArch } = llama;
    expect(checkMetadata(metadata(noArch))).toMatch(/general\.architecture/);
    const { ['tokenizer.ggml.tokens']: _t, ...noTokens } = llama;
    expect(checkMetadata(metadata(noTokens))).toMatch(/tokenizer\.ggml\.tokens/);
  });

  it('applies the llama-only keys to llama-like architectures only', () => {
    const mamba = {
      'general.architecture': 'mamba',
      'mamba.context_length': 2048,
      'mamba.embedding_length': 64,
      'mamba.block_count': 2,
      'tokenizer.ggml.model': 'gpt2',
      'tokenizer.ggml.tokens': ['a'],
    };
    expect(checkMetadata(metadata(mamba))).toBeUndefined();
  });
});

describe('resolveThreads', () => {
  it('prefers an explicit setting, else physical cores, keeping one free on 2-core machines', () => {
    expect(resolveThreads('3', 8)).toBe(3);
    expect(resolveThreads(undefined, 8)).toBe(8);
    expect(resolveThreads('', 2)).toBe(1);
    expect(resolveThreads('nope', 1)).toBe(1);
  });
});

describe('toChatHistory', () => {
  it('maps system, user, assistant and tool messages and ends with an open model turn', () => {
    expect(
      toChatHistory('be brief', [
        { role: 'user', content: [{ type: 'text', text: 'hi' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'hello' }] },
        { role: 'tool', content: [{ type: 'tool-result', toolCallId: '1', toolName: 'clock', output: { t: 1 } }] },
      ]),
    ).toEqual([
      { type: 'system', text: 'be brief' },
      { type: 'user', text: 'hi' },
      { type: 'model', response: ['hello'] },
      { type: 'user', text: 'Result of clock: {"t":1}' },
      { type: 'model', response: [] },
    ]);
  });
});
