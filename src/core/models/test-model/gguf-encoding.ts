import { open, type FileHandle } from 'node:fs/promises';

/** GGUF v3 encoding: header, metadata, tensor infos and aligned tensor data. No model knowledge here. */

const GGUF_MAGIC = 0x46554747; // "GGUF" read as a little-endian u32
const GGUF_VERSION = 3;

export const GGUF_ALIGNMENT = 32;

export type GgufValue =
  | { type: 'u32'; value: number }
  | { type: 'i32'; value: number }
  | { type: 'f32'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'string'; value: string }
  | { type: 'string[]'; value: readonly string[] }
  | { type: 'f32[]'; value: readonly number[] }
  | { type: 'i32[]'; value: readonly number[] };

export type GgufTensorType = 'f32' | 'f16';

export interface GgufTensor {
  name: string;
  /** Innermost first, as GGUF stores them: a (rows, cols) matrix is [cols, rows]. */
  dims: readonly number[];
  type: GgufTensorType;
  /** Produced lazily, one tensor at a time, so a large model never sits in memory whole. */
  data: () => Float32Array;
}

// gguf_type enum values from the GGUF spec.
const VALUE_TYPE = { u32: 4, i32: 5, f32: 6, bool: 7, string: 8, array: 9 } as const;
// ggml_type enum values.
const TENSOR_TYPE: Record<GgufTensorType, number> = { f32: 0, f16: 1 };
const BYTES_PER_ELEMENT: Record<GgufTensorType, number> = { f32: 4, f16: 2 };

/** A growable little-endian byte buffer for the header. */
class ByteWriter {
  private buf = Buffer.alloc(1 << 16);
  private len = 0;

  get length(): number {
    return this.len;
  }

  private ensure(extra: number): void {
    if (this.len + extra <= this.buf.length) return;
    const next = Buffer.alloc(Math.max(this.buf.length * 2, this.len + extra));
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }

  u32(v: number): void {
    this.ensure(4);
    this.buf.writeUInt32LE(v, this.len);
    this.len += 4;
  }
  i32(v: number): void {
    this.ensure(4);
    this.buf.writeInt32LE(v, this.len);
    this.len += 4;
  }
  u64(v: number): void {
    this.ensure(8);
    this.buf.writeBigUInt64LE(BigInt(v), this.len);
    this.len += 8;
  }
  f32(v: number): void {
    this.ensure(4);
    this.buf.writeFloatLE(v, this.len);
    this.len += 4;
  }
  u8(v: number): void {
    this.ensure(1);
    this.buf.writeUInt8(v, this.len);
    this.len += 1;
  }
  string(s: string): void {
    const bytes = Buffer.from(s, 'utf8');
    this.u64(bytes.length);
    this.ensure(bytes.length);
    bytes.copy(this.buf, this.len);
    this.len += bytes.length;
  }
  padTo(alignment: number): void {
    const pad = paddingFor(this.len, alignment);
    this.ensure(pad);
    this.buf.fill(0, this.len, this.len + pad);
    this.len += pad;
  }
  bytes(): Buffer {
    return this.buf.subarray(0, this.len);
  }
}

function paddingFor(offset: number, alignment: number): number {
  return (alignment - (offset % alignment)) % alignment;
}

function writeValue(w: ByteWriter, value: GgufValue): void {
  switch (value.type) {
    case 'u32':
      w.u32(VALUE_TYPE.u32);
      w.u32(value.value);
      return;
    case 'i32':
      w.u32(VALUE_TYPE.i32);
      w.i32(value.value);
      return;
    case 'f32':
      w.u32(VALUE_TYPE.f32);
      w.f32(value.value);
      return;
    case 'bool':
      w.u32(VALUE_TYPE.bool);
      w.u8(value.value ? 1 : 0);
      return;
    case 'string':
      w.u32(VALUE_TYPE.string);
      w.string(value.value);
      return;
    case 'string[]':
      w.u32(VALUE_TYPE.array);
      w.u32(VALUE_TYPE.string);
      w.u64(value.value.length);
      for (const s of value.value) w.string(s);
      return;
    case 'f32[]':
      w.u32(VALUE_TYPE.array);
      w.u32(VALUE_TYPE.f32);
      w.u64(value.value.length);
      for (const v of value.value) w.f32(v);
      return;
    case 'i32[]':
      w.u32(VALUE_TYPE.array);
      w.u32(VALUE_TYPE.i32);
      w.u64(value.value.length);
      for (const v of value.value) w.i32(v);
      return;
  }
}

export function elementCount(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

function tensorByteSize(t: GgufTensor): number {
  return elementCount(t.dims) * BYTES_PER_ELEMENT[t.type];
}

export function encodeHeader(metadata: ReadonlyArray<readonly [string, GgufValue]>, tensors: readonly GgufTensor[]): Buffer {
  const w = new ByteWriter();
  w.u32(GGUF_MAGIC);
  w.u32(GGUF_VERSION);
  w.u64(tensors.length);
  w.u64(metadata.length);
  for (const [key, value] of metadata) {
    w.string(key);
    writeValue(w, value);
  }
  let offset = 0;
  for (const t of tensors) {
    w.string(t.name);
    w.u32(t.dims.length);
    for (const d of t.dims) w.u64(d);
    w.u32(TENSOR_TYPE[t.type]);
    w.u64(offset);
    offset += tensorByteSize(t);
    offset += paddingFor(offset, GGUF_ALIGNMENT);
  }
  w.padTo(GGUF_ALIGNMENT);
  return w.bytes();
}

function encodeTensorData(t: GgufTensor): Uint8Array {
  const values = t.data();
  if (values.length !== elementCount(t.dims)) {
    throw new Error(`tensor ${t.name}: ${values.length} values for dims [${t.dims.join(', ')}]`);
  }
  if (t.type === 'f32') return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  const half = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) half[i] = toHalf(values[i] ?? 0);
  return new Uint8Array(half.buffer);
}

/** Writes a complete GGUF file to `path`; the caller owns temp-file-and-rename. */
export async function writeGgufFile(
  path: string,
  metadata: ReadonlyArray<readonly [string, GgufValue]>,
  tensors: readonly GgufTensor[],
): Promise<void> {
  const file: FileHandle = await open(path, 'w');
  try {
    await file.write(encodeHeader(metadata, tensors));
    const zeros = new Uint8Array(GGUF_ALIGNMENT);
    for (const t of tensors) {
      const bytes = encodeTensorData(t);
      await file.write(bytes);
      const pad = paddingFor(bytes.byteLength, GGUF_ALIGNMENT);
      if (pad > 0) await file.write(zeros.subarray(0, pad));
    }
    await file.sync();
  } finally {
    await file.close();
  }
}

const f32View = new Float32Array(1);
const u32View = new Uint32Array(f32View.buffer);

/** IEEE 754 binary32 → binary16, round to nearest even. */
export function toHalf(value: number): number {
  f32View[0] = value;
  const x = u32View[0] ?? 0;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0); // Inf / NaN
  let e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00; // overflow → Inf
  if (e <= 0) {
    if (e < -10) return sign; // underflow → ±0
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    if (rem > mid || (rem === mid && (half & 1))) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && (half & 1))) half++;
  e = half; // rounding may carry into the exponent, which is still correct
  return sign | e;
}
