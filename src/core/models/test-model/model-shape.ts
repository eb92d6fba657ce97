/** The hyperparameters of each test-model preset. */

export type TestModelPreset = 'tiny' | 'small';

export interface ModelShape {
  preset: TestModelPreset;
  embeddingLength: number;
  blockCount: number;
  feedForwardLength: number;
  headCount: number;
  headCountKv: number;
  contextLength: number;
  rmsEpsilon: number;
  ropeFreqBase: number;
  /** Weight storage for matrices; norms are always f32. */
  weightType: 'f32' | 'f16';
  /** Adds two-letter pieces to the vocabulary (low thousands of tokens). */
  bigramVocab: boolean;
}

const SHAPES: Record<TestModelPreset, ModelShape> = {
  // Loads in milliseconds; for tests.
  tiny: {
    preset: 'tiny',
    embeddingLength: 64,
    blockCount: 2,
    feedForwardLength: 176,
    headCount: 4,
    headCountKv: 2,
    contextLength: 2048,
    rmsEpsilon: 1e-5,
    ropeFreqBase: 10000,
    weightType: 'f32',
    bigramVocab: false,
  },
  // Tens of millions of parameters, so CPU timings mean something; for the bench.
  small: {
    preset: 'small',
    embeddingLength: 512,
    blockCount: 8,
    feedForwardLength: 1408,
    headCount: 8,
    headCountKv: 8,
    contextLength: 2048,
    rmsEpsilon: 1e-5,
    ropeFreqBase: 10000,
    weightType: 'f16',
    bigramVocab: true,
  },
};

export function modelShape(preset: TestModelPreset): ModelShape {
  return SHAPES[preset];
}
