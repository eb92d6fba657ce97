import { basename } from 'node:path';
import { GGMLFileQuantizationType, GGMLQuantizationType, type GGUFParseOutput, gguf } from '@huggingface/gguf';
import { tensorByteSize } from './ggml-type-sizes';

/** What a GGUF file says about itself, and why it cannot be loaded when it cannot. */
export interface GgufInspection {
  architecture: string | null;
  parameterCount: number | null;
  quantization: string | null;
  contextLength: number | null;
  hasChatTemplate: boolean;
  /** A sentence for the user: what is wrong and what to do. Null when the file looks loadable. */
  error: string | null;
}

const REDOWNLOAD = 'Delete it and download the model again.';

/**
 * Reads a GGUF header in pure JS and checks what llama.cpp needs before it is
 * ever handed to the engine: some missing keys abort llama.cpp natively.
 */
export async function inspectGguf(path: string, sizeBytes: number): Promise<GgufInspection> {
  const name = basename(path);
  let parsed: GGUFParseOutput<{ strict: false }> & { parameterCount: number | bigint };
  try {
    parsed = (await gguf(path, { allowLocalFile: true, computeParametersCount: true })) as typeof parsed;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const reason = /magic number/i.test(message)
      ? 'is not a GGUF model file (it does not start with the GGUF signature)'
      : `could not be read as GGUF (${message})`;
    return failed(`${name} ${reason}. ${REDOWNLOAD}`);
  }

  const metadata = parsed.metadata;
  const architecture = stringValue(metadata['general.architecture']);
  const tokens = metadata['tokenizer.ggml.tokens'];
  const info: GgufInspection = {
    architecture,
    parameterCount: toNumber(parsed.parameterCount),
    quantization: quantizationOf(metadata['general.file_type'], parsed.tensorInfos),
    contextLength: architecture === null ? null : toNumber(metadata[`${architecture}.context_length`]),
    hasChatTemplate: typeof metadata['tokenizer.chat_template'] === 'string' && metadata['tokenizer.chat_template'] !== '',
    error: null,
  };

  // The parser reads past the end of a short file as zeros instead of failing,
  // so the header and every tensor must be checked against the real size.
  const size = BigInt(sizeBytes);
  if (parsed.tensorDataOffset > size) {
    return failed(`${name} is truncated: its header alone needs ${parsed.tensorDataOffset} bytes, but the file has ${sizeBytes}. ${REDOWNLOAD}`);
  }
  const dataEnd = tensorDataEnd(parsed);
  if (dataEnd > size) {
    const percent = Math.floor((sizeBytes / Number(dataEnd)) * 100);
    return { ...info, error: `${name} is truncated: its weights need ${dataEnd} bytes, but the file has ${sizeBytes} (${percent}%). The download was probably interrupted. ${REDOWNLOAD}` };
  }

  if (architecture === null) {
    return { ...info, error: `${name} names no model architecture (general.architecture is missing), so llama.cpp cannot load it. ${REDOWNLOAD}` };
  }
  const missing = [
    `${architecture}.context_length`,
    `${architecture}.embedding_length`,
    `${architecture}.block_count`,
    `${architecture}.feed_forward_length`,
    `${architecture}.attention.head_count`,
  ].filter((key) => metadata[key] === undefined);
  if (!Array.isArray(tokens) || tokens.length === 0) missing.push('tokenizer.ggml.tokens');
  if (missing.length > 0) {
    return {
      ...info,
      error: `${name} lacks metadata llama.cpp requires (${missing.join(', ')}), so it cannot be loaded. ${REDOWNLOAD}`,
    };
  }
  if (parsed.tensorInfos.length === 0) {
    return { ...info, error: `${name} holds no weights (no tensors). ${REDOWNLOAD}` };
  }
  return info;
}

function failed(error: string): GgufInspection {
  return { architecture: null, parameterCount: null, quantization: null, contextLength: null, hasChatTemplate: false, error };
}

/** Where the last tensor's data ends, in bytes from the start of the file. */
function tensorDataEnd(parsed: GGUFParseOutput<{ strict: false }>): bigint {
  let end = parsed.tensorDataOffset;
  for (const tensor of parsed.tensorInfos) {
    const bytes = tensorByteSize(tensor.dtype, tensor.shape) ?? 0n;
    const tensorEnd = parsed.tensorDataOffset + tensor.offset + bytes;
    if (tensorEnd > end) end = tensorEnd;
  }
  return end;
}

/** The file type the converter recorded, else the type most weight tensors use. */
function quantizationOf(fileType: unknown, tensors: GGUFParseOutput['tensorInfos']): string | null {
  const recorded = toNumber(fileType);
  if (recorded !== null) {
    const label = GGMLFileQuantizationType[recorded];
    if (label !== undefined) return label;
  }
  const counts = new Map<number, number>();
  for (const t of tensors) if (t.n_dims >= 2) counts.set(t.dtype, (counts.get(t.dtype) ?? 0) + 1);
  let best: number | undefined;
  for (const [dtype, count] of counts) if (best === undefined || count > (counts.get(best) ?? 0)) best = dtype;
  return best === undefined ? null : (GGMLQuantizationType[best] ?? null);
}

function stringValue(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function toNumber(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'bigint') return Number(value);
  return null;
}
