import type { GgufTensor } from './gguf-encoding';
import type { ModelShape } from './model-shape';
import { seededRandom } from '../../../shared/seeded-random';
import { fillUniform } from './prng';
import { TOKEN_TYPE, type Vocab } from './vocab';

/**
 * Random llama weights, shaped so generation is stable and varied:
 * - every token embedding carries a constant positive value in dimension 0 (the "bias lane"),
 *   so the final hidden state reliably points the same way along it;
 * - output rows of ordinary pieces lean +BIAS along that lane, rows of control and byte tokens
 *   lean -BIAS and are otherwise zero, so EOS/`<|im_end|>` and stray bytes are very unlikely and a
 *   stream runs for as many tokens as asked;
 * - the remaining output dimensions are noise, so which piece wins varies with context.
 */

const BIAS_LANE_VALUE = 4;
const OUTPUT_BIAS = 3;
const OUTPUT_NOISE = 3;
/** Residual-branch output projections are scaled down so the stream stays well-conditioned. */
const RESIDUAL_SCALE = 0.5;

export function buildTensors(shape: ModelShape, vocab: Vocab, seed: number): GgufTensor[] {
  const nEmbd = shape.embeddingLength;
  const nVocab = vocab.tokens.length;
  const headDim = nEmbd / shape.headCount;
  const nEmbdKv = headDim * shape.headCountKv;
  const nFf = shape.feedForwardLength;
  const tensors: GgufTensor[] = [];
  // Each tensor has its own stream derived from the seed, so lazy generation order never matters.
  const rngFor = (index: number) => seededRandom(mix(seed, index));

  const matrix = (name: string, inner: number, outer: number, std: number): void => {
    const index = tensors.length;
    tensors.push({
      name,
      dims: [inner, outer],
      type: shape.weightType,
      data: () => fillUniform(new Float32Array(inner * outer), std, rngFor(index)),
    });
  };
  const norm = (name: string): void => {
    tensors.push({ name, dims: [nEmbd], type: 'f32', data: () => new Float32Array(nEmbd).fill(1) });
  };

  const embdIndex = tensors.length;
  tensors.push({
    name: 'token_embd.weight',
    dims: [nEmbd, nVocab],
    type: shape.weightType,
    data: () => {
      const out = fillUniform(new Float32Array(nEmbd * nVocab), 1, rngFor(embdIndex));
      for (let t = 0; t < nVocab; t++) out[t * nEmbd] = BIAS_LANE_VALUE;
      return out;
    },
  });

  const inStd = 1 / Math.sqrt(nEmbd);
  for (let b = 0; b < shape.blockCount; b++) {
    const p = `blk.${b}`;
    norm(`${p}.attn_norm.weight`);
    matrix(`${p}.attn_q.weight`, nEmbd, nEmbd, inStd);
    matrix(`${p}.attn_k.weight`, nEmbd, nEmbdKv, inStd);
    matrix(`${p}.attn_v.weight`, nEmbd, nEmbdKv, inStd);
    matrix(`${p}.attn_output.weight`, nEmbd, nEmbd, RESIDUAL_SCALE * inStd);
    norm(`${p}.ffn_norm.weight`);
    matrix(`${p}.ffn_gate.weight`, nEmbd, nFf, inStd);
    matrix(`${p}.ffn_up.weight`, nEmbd, nFf, inStd);
    matrix(`${p}.ffn_down.weight`, nFf, nEmbd, RESIDUAL_SCALE / Math.sqrt(nFf));
  }
  norm('output_norm.weight');

  const outIndex = tensors.length;
  tensors.push({
    name: 'output.weight',
    dims: [nEmbd, nVocab],
    type: shape.weightType,
    data: () => {
      const out = fillUniform(new Float32Array(nEmbd * nVocab), OUTPUT_NOISE / Math.sqrt(nEmbd), rngFor(outIndex));
      for (let t = 0; t < nVocab; t++) {
        const row = t * nEmbd;
        if (vocab.types[t] === TOKEN_TYPE.normal) {
          out[row] = OUTPUT_BIAS;
        } else {
          out.fill(0, row, row + nEmbd);
          out[row] = -OUTPUT_BIAS;
        }
      }
      return out;
    },
  });
  return tensors;
}

function mix(seed: number, index: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ (index + 0x7f4a7c15), 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}
