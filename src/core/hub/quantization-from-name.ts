/**
 * The quantization a GGUF file name announces (`qwen2.5-0.5b-instruct-q4_k_m.gguf` → `Q4_K_M`),
 * upper-cased; null when the name says none. Names are the hub's convention, not a guarantee: the
 * header read (`hub.inspect`) gives the real file type.
 */
const PATTERN = /(?:^|[-._])((?:UD-)?(?:IQ\d_(?:XXS|XS|S|M|NL|L)|Q\d_K(?:_(?:XL|XS|S|M|L))?|Q\d_\d|Q\d|TQ\d_\d|MXFP4(?:_MOE)?|BF16|F16|F32|FP16|FP32))(?=[-._]|$)/i;

export function quantizationFromName(fileName: string): string | null {
  const base = fileName.split('/').pop() ?? fileName;
  const stem = base.replace(/\.gguf$/i, '').replace(/-\d{5}-of-\d{5}$/i, '');
  const m = PATTERN.exec(stem);
  return m ? (m[1] as string).toUpperCase() : null;
}
