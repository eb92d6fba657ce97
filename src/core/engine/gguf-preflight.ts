import { stat } from 'node:fs/promises';
import { GgmlType, readGgufFileInfo, type GgufFileInfo } from 'node-llama-cpp';
import type { EngineErrorData } from './protocol';

/**
 * Checks a GGUF before llama.cpp sees it. Some missing keys make llama.cpp abort the whole
 * process (GGML_ASSERT), which JavaScript cannot catch; a clear refusal is better.
 */

/** Keys every model needs, by architecture prefix (`{arch}` is replaced). */
const REQUIRED_KEYS = ['{arch}.context_length', '{arch}.embedding_length', '{arch}.block_count'];
/** For llama-style transformers these abort the process when missing (see STACK-NOTES). */
const LLAMA_KEYS = ['{arch}.attention.head_count', '{arch}.feed_forward_length', '{arch}.attention.layer_norm_rms_epsilon'];
const LLAMA_LIKE = new Set(['llama', 'mistral', 'qwen2', 'qwen3']);

/** Bytes per block and elements per block, for the tensor types we can size exactly. */
const TYPE_SIZES: Partial<Record<GgmlType, readonly [bytes: number, elements: number]>> = {
  [GgmlType.F32]: [4, 1],
  [GgmlType.F16]: [2, 1],
  [GgmlType.Q4_0]: [18, 32],
  [GgmlType.Q4_1]: [20, 32],
  [GgmlType.Q5_0]: [22, 32],
  [GgmlType.Q5_1]: [24, 32],
  [GgmlType.Q8_0]: [34, 32],
  [GgmlType.Q2_K]: [84, 256],
  [GgmlType.Q3_K]: [110, 256],
  [GgmlType.Q4_K]: [144, 256],
  [GgmlType.Q5_K]: [176, 256],
  [GgmlType.Q6_K]: [210, 256],
};

export type PreflightResult = { ok: true; info: GgufFileInfo; sizeBytes: number } | { ok: false; error: EngineErrorData };

export async function preflightGguf(path: string): Promise<PreflightResult> {
  let sizeBytes: number;
  try {
    const s = await stat(path);
    if (!s.isFile()) return fail('not_found', `Model file not found: ${path} is not a file`);
    sizeBytes = s.size;
  } catch {
    return fail('not_found', `Model file not found: ${path}`);
  }
  let info: GgufFileInfo;
  try {
    info = await readGgufFileInfo(path, { sourceType: 'filesystem', readTensorInfo: true, logWarnings: false });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return fail('bad_request', `Not a readable GGUF file: ${path} (${reason})`);
  }
  const problem = checkMetadata(info) ?? checkTensorBounds(info, sizeBytes);
  if (problem) return fail('bad_request', `Refusing to load ${path}: ${problem}`);
  return { ok: true, info, sizeBytes };
}

/** Returns a description of the first problem, or undefined when the metadata looks loadable. */
export function checkMetadata(info: Pick<GgufFileInfo, 'metadata'>): string | undefined {
  const flat = flatten(info.metadata);
  const arch = flat.get('general.architecture');
  if (typeof arch !== 'string' || arch === '') return 'missing metadata key general.architecture';
  const keys = [...REQUIRED_KEYS, ...(LLAMA_LIKE.has(arch) ? LLAMA_KEYS : []), 'tokenizer.ggml.model', 'tokenizer.ggml.tokens'];
  const missing = keys.map((k) => k.replace('{arch}', arch)).filter((k) => flat.get(k) === undefined);
  if (missing.length > 0) return `missing metadata key${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`;
  return undefined;
}

function checkTensorBounds(info: GgufFileInfo, sizeBytes: number): string | undefined {
  const tensors = info.tensorInfo ?? [];
  if (tensors.length === 0) return 'the file has no tensors';
  for (const t of tensors) {
    if (t.filePart > 1) continue; // split files: only the first part is checked here
    const start = Number(t.fileOffset);
    const elements = t.dimensions.reduce<number>((n, d) => n * Number(d), 1);
    const size = TYPE_SIZES[t.ggmlType];
    const end = size ? start + Math.ceil(elements / size[1]) * size[0] : start + 1;
    if (end > sizeBytes) {
      return `tensor ${t.name} ends at byte ${end} but the file has ${sizeBytes} bytes (truncated or incomplete download?)`;
    }
  }
  return undefined;
}

/** readGgufFileInfo nests dotted keys into objects; flatten them back to `a.b.c`. */
function flatten(value: unknown, prefix = '', out = new Map<string, unknown>()): Map<string, unknown> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) {
    out.set(prefix, value);
  }
  return out;
}

function fail(kind: EngineErrorData['kind'], message: string): PreflightResult {
  return { ok: false, error: { kind, message } };
}
