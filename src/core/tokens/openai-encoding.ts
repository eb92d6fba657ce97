/**
 * Which OpenAI encoding a model uses: o200k_base for gpt-4o, gpt-4.1, the o-series, gpt-5 and
 * later; cl100k_base for gpt-4, gpt-3.5 and the embedding models. Undefined: not an OpenAI model.
 */
export type OpenAIEncodingName = 'o200k_base' | 'cl100k_base';

const O200K = /^(gpt-4o|gpt-4\.1|gpt-4\.5|chatgpt-4o|o[1-9]|gpt-[5-9]|gpt-oss|codex-)/;
const CL100K = /^(gpt-4|gpt-3\.5|text-embedding-(3|ada-002))/;

export function openAIEncodingFor(modelId: string): OpenAIEncodingName | undefined {
  // OpenRouter / Azure style prefixes: `openai/gpt-4o`.
  const id = modelId.replace(/^openai\//, '').toLowerCase();
  if (O200K.test(id)) return 'o200k_base';
  if (CL100K.test(id)) return 'cl100k_base';
  return undefined;
}
