import type { CallOptions } from './call-options';
import type { FinishReason } from './finish-reason';
import type { LanguageModel } from './language-model';
import { type PartIterator, partsOf, readerIterator } from './part-iterator';
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
export function collectStream(stream: ReadableStream<StreamPart>): Promise<GenerateResult> {
  return collectParts(readerIterator(stream));
}

/** Collects parts into one result. */
export async function collectParts(parts: PartIterator): Promise<GenerateResult> {
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
  for (;;) {
    const next = await parts.next();
    if (next.done === true) break;
    for (let part: StreamPart | undefined = next.value; part !== undefined; part = parts.nextBuffered?.()) applyPart(result, part);
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
  return collectParts(partsOf(await model.stream(options)));
}
