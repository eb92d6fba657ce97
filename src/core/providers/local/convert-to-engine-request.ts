import type { CallOptions, CallWarning, Message } from '../../../shared/llm';
import type { EngineStreamRequest, LoadOptions } from '../../engine/engine';

/**
 * Call options → an engine request, plus a warning for everything the engine cannot honour.
 * Nothing is dropped silently: an unsupported option is ignored *and* reported.
 */
export function convertToEngineRequest(
  options: CallOptions,
  modelPath: string,
  loadOptions?: LoadOptions,
): { request: EngineStreamRequest; warnings: CallWarning[] } {
  const warnings: CallWarning[] = [];
  const unsupported = (feature: string, details?: string) =>
    warnings.push(details === undefined ? { type: 'unsupported', feature } : { type: 'unsupported', feature, details });

  if (options.tools !== undefined && options.tools.length > 0) unsupported('tools', 'local models are called without tools');
  if (options.toolChoice !== undefined) unsupported('toolChoice');
  if (options.responseFormat !== undefined && options.responseFormat.type !== 'text') {
    unsupported('responseFormat', `${options.responseFormat.type} output is not enforced; the model answers in free text`);
  }
  if (options.reasoning !== undefined) unsupported('reasoning');
  if (options.headers !== undefined && Object.keys(options.headers).length > 0) unsupported('headers', 'there is no HTTP request');

  const parts = new Set(options.messages.flatMap((m: Message) => m.content.map((p) => p.type)));
  if (parts.has('image')) unsupported('image-input', 'images are left out of the prompt');
  if (parts.has('tool-call') || parts.has('tool-result')) unsupported('tool-messages', 'tool calls and results are passed as text');
  if (parts.has('reasoning')) unsupported('reasoning-input', 'earlier reasoning is left out of the prompt');

  const request: EngineStreamRequest = { modelPath, messages: options.messages };
  if (options.system !== undefined) request.system = options.system;
  if (options.maxOutputTokens !== undefined) request.maxOutputTokens = options.maxOutputTokens;
  if (options.temperature !== undefined) request.temperature = options.temperature;
  if (options.topP !== undefined) request.topP = options.topP;
  if (options.topK !== undefined) request.topK = options.topK;
  if (options.seed !== undefined) request.seed = options.seed;
  if (options.stop !== undefined && options.stop.length > 0) request.stop = options.stop;
  if (loadOptions !== undefined) request.loadOptions = loadOptions;
  return { request, warnings };
}
