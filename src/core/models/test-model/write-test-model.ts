import { randomBytes } from 'node:crypto';
import { mkdir, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { elementCount, GGUF_ALIGNMENT, writeGgufFile, type GgufValue } from './gguf-encoding';
import { modelShape, type ModelShape, type TestModelPreset } from './model-shape';
import { buildVocab, CHATML_TEMPLATE, type Vocab } from './vocab';
import { buildTensors } from './weights';

export type { TestModelPreset } from './model-shape';

export interface WriteTestModelOptions {
  preset?: TestModelPreset;
  seed?: number;
}

export interface TestModelFile {
  path: string;
  sizeBytes: number;
  parameterCount: number;
}

/**
 * Writes a llama-architecture GGUF with random weights that llama.cpp loads and generates from.
 * Deterministic for a (preset, seed). Written to a temp file beside `outPath` and renamed,
 * so readers never see a half-written model.
 */
export async function writeTestModel(outPath: string, options: WriteTestModelOptions = {}): Promise<TestModelFile> {
  const shape = modelShape(options.preset ?? 'tiny');
  const seed = options.seed ?? 1;
  const vocab = buildVocab({ bigrams: shape.bigramVocab });
  const tensors = buildTensors(shape, vocab, seed);

  await mkdir(dirname(outPath), { recursive: true });
  const tmpPath = join(dirname(outPath), `.${basename(outPath)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeGgufFile(tmpPath, buildMetadata(shape, vocab), tensors);
    await rename(tmpPath, outPath);
  } catch (error) {
    await unlink(tmpPath).catch(() => undefined);
    throw error;
  }
  const { size } = await stat(outPath);
  const parameterCount = tensors.reduce((sum, t) => sum + elementCount(t.dims), 0);
  return { path: outPath, sizeBytes: size, parameterCount };
}

function buildMetadata(shape: ModelShape, vocab: Vocab): Array<readonly [string, GgufValue]> {
  const u32 = (value: number): GgufValue => ({ type: 'u32', value });
  return [
    ['general.architecture', { type: 'string', value: 'llama' }],
    ['general.name', { type: 'string', value: `switchboard-test-${shape.preset}` }],
    ['general.alignment', u32(GGUF_ALIGNMENT)],
    // llama_ftype: 0 = all F32, 1 = mostly F16.
    ['general.file_type', u32(shape.weightType === 'f16' ? 1 : 0)],
    ['llama.context_length', u32(shape.contextLength)],
    ['llama.embedding_length', u32(shape.embeddingLength)],
    ['llama.block_count', u32(shape.blockCount)],
    ['llama.feed_forward_length', u32(shape.feedForwardLength)],
    ['llama.attention.head_count', u32(shape.headCount)],
    ['llama.attention.head_count_kv', u32(shape.headCountKv)],
    ['llama.rope.dimension_count', u32(shape.embeddingLength / shape.headCount)],
    ['llama.rope.freq_base', { type: 'f32', value: shape.ropeFreqBase }],
    ['llama.attention.layer_norm_rms_epsilon', { type: 'f32', value: shape.rmsEpsilon }],
    ['llama.vocab_size', u32(vocab.tokens.length)],
    ['tokenizer.ggml.model', { type: 'string', value: 'llama' }],
    ['tokenizer.ggml.tokens', { type: 'string[]', value: vocab.tokens }],
    ['tokenizer.ggml.scores', { type: 'f32[]', value: vocab.scores }],
    ['tokenizer.ggml.token_type', { type: 'i32[]', value: vocab.types }],
    ['tokenizer.ggml.unknown_token_id', u32(vocab.unkId)],
    ['tokenizer.ggml.bos_token_id', u32(vocab.bosId)],
    ['tokenizer.ggml.eos_token_id', u32(vocab.eosId)],
    ['tokenizer.ggml.eot_token_id', u32(vocab.imEndId)],
    ['tokenizer.ggml.add_bos_token', { type: 'bool', value: true }],
    ['tokenizer.ggml.add_eos_token', { type: 'bool', value: false }],
    ['tokenizer.chat_template', { type: 'string', value: CHATML_TEMPLATE }],
  ];
}
