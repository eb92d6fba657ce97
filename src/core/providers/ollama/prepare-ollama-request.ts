import type { ChatRequest, Options as OllamaOptions, Tool as OllamaTool } from 'ollama';
import { z } from 'zod';
import { ProviderError, type CallOptions, type CallWarning } from '../../../shared/llm';
import { convertToOllamaMessages } from './convert-to-ollama-messages';

const numericOptions = [
  'min_p',
  'typical_p',
  'repeat_penalty',
  'repeat_last_n',
  'presence_penalty',
  'frequency_penalty',
  'mirostat',
  'mirostat_tau',
  'mirostat_eta',
  'num_gpu',
  'num_thread',
  'num_batch',
  'num_keep',
] as const;

/** `providerOptions.ollama`: Ollama's own knobs. */
export const ollamaProviderOptionsSchema = z.object({
  /** Context window to load the model with. */
  num_ctx: z.number().int().positive().optional(),
  /** How long Ollama keeps the model loaded after the call (`'5m'`, seconds, `-1` forever, `0` unload now). */
  keep_alive: z.union([z.string(), z.number()]).optional(),
  /** Overrides `think` (on when `reasoning` is set); a level for models that take one (gpt-oss). */
  think: z.union([z.boolean(), z.enum(['low', 'medium', 'high'])]).optional(),
  min_p: z.number().optional(),
  typical_p: z.number().optional(),
  repeat_penalty: z.number().optional(),
  repeat_last_n: z.number().int().optional(),
  presence_penalty: z.number().optional(),
  frequency_penalty: z.number().optional(),
  mirostat: z.number().int().optional(),
  mirostat_tau: z.number().optional(),
  mirostat_eta: z.number().optional(),
  num_gpu: z.number().int().optional(),
  num_thread: z.number().int().positive().optional(),
  num_batch: z.number().int().positive().optional(),
  num_keep: z.number().int().optional(),
});
export type OllamaProviderOptions = z.infer<typeof ollamaProviderOptionsSchema>;

export type OllamaChatRequest = ChatRequest & { stream?: never };

/**
 * Call options → the body of `POST /api/chat` (without `stream`), and a warning for everything
 * Ollama cannot honour. Malformed `providerOptions.ollama` is a `bad_request`.
 */
export function prepareOllamaRequest(modelId: string, options: CallOptions): { request: OllamaChatRequest; warnings: CallWarning[] } {
  const warnings: CallWarning[] = [];
  const unsupported = (feature: string, details: string) => warnings.push({ type: 'unsupported', feature, details });

  const providerOptions = parseProviderOptions(options.providerOptions?.ollama, warnings);
  const converted = convertToOllamaMessages(options.messages, options.system);
  warnings.push(...converted.warnings);

  const ollamaOptions: Partial<OllamaOptions> = {};
  if (options.temperature !== undefined) ollamaOptions.temperature = options.temperature;
  if (options.topP !== undefined) ollamaOptions.top_p = options.topP;
  if (options.topK !== undefined) ollamaOptions.top_k = options.topK;
  if (options.seed !== undefined) ollamaOptions.seed = options.seed;
  if (options.stop !== undefined && options.stop.length > 0) ollamaOptions.stop = options.stop;
  if (options.maxOutputTokens !== undefined) ollamaOptions.num_predict = options.maxOutputTokens;
  if (providerOptions.num_ctx !== undefined) ollamaOptions.num_ctx = providerOptions.num_ctx;
  for (const name of numericOptions) {
    const value = providerOptions[name];
    if (typeof value === 'number') ollamaOptions[name] = value;
  }

  const request: OllamaChatRequest = { model: modelId, messages: converted.messages };
  if (Object.keys(ollamaOptions).length > 0) request.options = ollamaOptions;
  if (providerOptions.keep_alive !== undefined) request.keep_alive = providerOptions.keep_alive;

  // Tools. Ollama has no tool_choice: `none` is honoured by not sending tools, the rest is a warning.
  const choice = options.toolChoice;
  if (options.tools !== undefined && options.tools.length > 0 && choice !== 'none') {
    request.tools = options.tools.map(
      (tool): OllamaTool => ({
        type: 'function',
        function: {
          name: tool.name,
          ...(tool.description === undefined ? {} : { description: tool.description }),
          parameters: tool.inputSchema as NonNullable<OllamaTool['function']['parameters']>,
        },
      }),
    );
    if (choice === 'required' || typeof choice === 'object') {
      unsupported('toolChoice', 'Ollama cannot force a tool call; the model decides whether to call one');
    }
  }

  // Structured output: `format` takes 'json' or a JSON schema.
  const format = options.responseFormat;
  if (format?.type === 'json') request.format = 'json';
  else if (format?.type === 'json-schema') request.format = format.schema;

  // Thinking. Ollama turns it on or off (or takes a level for some models); it has no token budget.
  if (options.reasoning !== undefined) {
    request.think = true;
    if (options.reasoning.budgetTokens !== undefined) unsupported('reasoning.budgetTokens', 'Ollama has no thinking budget; thinking is on without a limit');
    if (options.reasoning.effort !== undefined && providerOptions.think === undefined) {
      unsupported('reasoning.effort', 'Ollama turns thinking on; set providerOptions.ollama.think to a level for models that take one');
    }
  }
  if (providerOptions.think !== undefined) request.think = providerOptions.think;

  return { request, warnings };
}

function parseProviderOptions(value: Record<string, unknown> | undefined, warnings: CallWarning[]): OllamaProviderOptions {
  if (value === undefined) return {};
  const parsed = ollamaProviderOptionsSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = ['providerOptions', 'ollama', ...(issue?.path ?? []).map(String)].join('.');
    throw new ProviderError({ kind: 'bad_request', message: `${path}: ${issue?.message ?? 'invalid'}`, provider: 'ollama' });
  }
  const known = new Set(Object.keys(ollamaProviderOptionsSchema.shape));
  for (const key of Object.keys(value)) {
    if (!known.has(key)) warnings.push({ type: 'unsupported', feature: `providerOptions.ollama.${key}`, details: 'not an option this adapter passes to Ollama' });
  }
  return parsed.data;
}
