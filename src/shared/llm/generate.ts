import type { CallOptions } from './call-options';
import type { FinishReason } from './finish-reason';
import type { LanguageModel } from './language-model';
import type { ProviderErrorData } from './provider-error';
import type { CallWarning, StreamPart } from './stream-part';
import { emptyUsage, type Usage } from './usage';

export interface GenerateResult {
  text: string;
  reasoning: string;
  toolCalls: Array<{ toolCallId: string; toolName: string; input: string }>;
  usage: Usage;
  finishReason: FinishReason;
  warnings: CallWarning[];
  error: ProviderErrorData | undefined;
  responseId: string | undefined;
}

/** Collects a stream of parts into one result. */
export async function collectStream(stream: ReadableStream<StreamPart>): Promise<GenerateResult> {
  const result: GenerateResult = {
    text: '',
    reasoning: '',
    toolCalls: [],
    usage: emptyUsage(),
    finishReason: { unified: 'other' },
    warnings: [],
    error: undefined,
    responseId: undefined,
  };
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    applyPart(result, value);
  }
  return result;
}

function applyPart(result: GenerateResult, part: StreamPart): void {
  switch (part.type) {
    case 'stream-start':
      result.warnings.push(...part.warnings);
      break;
    case 'text-delta':
      result.text += part.delta;
      break;
    case 'reasoning-delta':
      result.reasoning += part.delta;
      break;
    case 'tool-call':
      result.toolCalls.push({ toolCallId: part.toolCallId, toolName: part.toolName, input: part.input });
      break;
    case 'response-metadata':
      result.responseId = part.id ?? result.responseId;
      break;
    case 'error':
      result.error = part.error;
      break;
    case 'finish':
      result.usage = part.usage;
      result.finishReason = part.finishReason;
      break;
    default:
      break;
  }
}

export async function generate(model: LanguageModel, options: CallOptions): Promise<GenerateResult> {
  const { stream } = await model.stream(options);
  return collectStream(stream);
}
