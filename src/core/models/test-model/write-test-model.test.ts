import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gguf } from '@huggingface/gguf';
import { getLlama, LlamaChat } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toHalf } from './gguf-encoding';
import { writeTestModel } from './write-test-model';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'test-model-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeTestModel', () => {
  it('writes a GGUF that @huggingface/gguf parses, with every key llama.cpp needs', async () => {
    const file = await writeTestModel(join(dir, 'tiny.gguf'), { seed: 1 });
    expect(file.sizeBytes).toBeGreaterThan(0);
    expect(file.sizeBytes).toBeLessThan(4 * 1024 * 1024);
    const parsed = await gguf(file.path, { allowLocalFile: true, computeParametersCount: true });
    expect(Number(parsed.parameterCount)).toBe(file.parameterCount);
    const md = parsed.metadata as Record<string, unknown>;
    expect(md['general.architecture']).toBe('llama');
    for (const key of [
      'llama.context_length',
      'llama.embedding_length',
      'llama.block_count',
      'llama.feed_forward_length',
      'llama.attention.head_count',
      'llama.attention.layer_norm_rms_epsilon',
      'tokenizer.ggml.model',
      'tokenizer.ggml.tokens',
      'tokenizer.chat_template',
    ]) {
      expect(md[key], key).toBeDefined();
    }
    const tokens = md['tokenizer.ggml.tokens'] as string[];
    expect(tokens.slice(0, 4)).toEqual(['<unk>', '<s>', '</s>', '<0x00>']);
    expect(tokens).toContain('<|im_start|>');
    expect(tokens).toContain('<|im_end|>');
    const names = parsed.tensorInfos.map((t) => t.name);
    expect(names).toContain('blk.1.ffn_down.weight');
    // Innermost first: (n_embd, n_vocab).
    const embd = parsed.tensorInfos.find((t) => t.name === 'token_embd.weight');
    expect(embd?.shape.map(Number)).toEqual([64, tokens.length]);
    // Offsets are 32-byte aligned.
    for (const t of parsed.tensorInfos) expect(Number(t.offset) % 32).toBe(0);
    expect(await readdir(dir)).toEqual(['tiny.gguf']); // no temp file left behind
  });

  it('is deterministic for a seed and differs across seeds', async () => {
    const a = await writeTestModel(join(dir, 'a.gguf'), { seed: 5 });
    const b = await writeTestModel(join(dir, 'b.gguf'), { seed: 5 });
    const c = await writeTestModel(join(dir, 'c.gguf'), { seed: 6 });
    const [ba, bb, bc] = await Promise.all([a, b, c].map((f) => readFile(f.path)));
    expect(ba?.equals(bb!)).toBe(true);
    expect(ba?.equals(bc!)).toBe(false);
  });

  it('the small preset has tens of millions of parameters', async () => {
    const file = await writeTestModel(join(dir, 'small.gguf'), { preset: 'small', seed: 1 });
    expect(file.parameterCount).toBeGreaterThan(10_000_000);
    expect(file.parameterCount).toBeLessThan(100_000_000);
    const parsed = await gguf(file.path, { allowLocalFile: true, computeParametersCount: true });
    expect(Number(parsed.parameterCount)).toBe(file.parameterCount);
  });

  it('loads in node-llama-cpp with the ChatML wrapper and generates varied text', async () => {
    const file = await writeTestModel(join(dir, 'gen.gguf'), { seed: 2 });
    const llama = await getLlama({ build: 'never', gpu: false });
    const model = await llama.loadModel({ modelPath: file.path });
    const context = await model.createContext({ contextSize: 512, threads: 1 });
    try {
      const chat = new LlamaChat({ contextSequence: context.getSequence() });
      expect(chat.chatWrapper.wrapperName).toBe('ChatML');
      const result = await chat.generateResponse(
        [
          { type: 'user', text: 'Tell me about the sea.' },
          { type: 'model', response: [] },
        ],
        { maxTokens: 48, temperature: 0.8, seed: 1 },
      );
      // EOS is made unlikely, so the model runs to the token limit with varied pieces.
      expect(result.metadata.stopReason).toBe('maxTokens');
      const words = new Set(result.response.split(/\s+/).filter(Boolean));
      expect(words.size).toBeGreaterThan(5);
    } finally {
      await context.dispose();
      await model.dispose();
    }
  });
});

describe('toHalf', () => {
  it('encodes binary16', () => {
    expect(toHalf(0)).toBe(0);
    expect(toHalf(1)).toBe(0x3c00);
    expect(toHalf(-2)).toBe(0xc000);
    expect(toHalf(65504)).toBe(0x7bff);
    expect(toHalf(1e6)).toBe(0x7c00);
    expect(toHalf(5.960464477539063e-8)).toBe(1); // smallest subnormal
  });
});
