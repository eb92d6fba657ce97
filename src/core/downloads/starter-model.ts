import { type StarterModel } from '../../shared/contract';

/**
 * The one-click model of first-run onboarding: small enough to download in a minute and to run on
 * a CPU, and an instruct model with a chat template, so a fresh install reaches a working chat.
 */
export const STARTER_MODEL: StarterModel = {
  repo: 'Qwen/Qwen2.5-0.5B-Instruct-GGUF',
  file: 'qwen2.5-0.5b-instruct-q4_k_m.gguf',
  title: 'Qwen2.5 0.5B Instruct (Q4_K_M)',
  approxSizeBytes: 491_400_032,
};
