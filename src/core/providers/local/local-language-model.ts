import { randomUUID } from 'node:crypto';
import {
  ProviderError,
  type CallOptions,
  type FinishReason,
  type LanguageModel,
  type ModelCapabilities,
  type StreamPart,
  type Usage,
} from '../../../shared/llm';
import type { Engine, EngineStreamEvent, LoadOptions } from '../../engine/engine';
import { convertEngineUsage } from './convert-engine-usage';
import { convertToEngineRequest } from './convert-to-engine-request';
import { mapEngineFinishReason } from './map-engine-finish-reason';

export interface LocalLanguageModelOptions {
  engine: Engine;
  /** The id callers use, e.g. `local/qwen2.5-0.5b-instruct-q4_k_m`. */
  modelId: string;
  modelPath: string;
  capabilities?: Partial<ModelCapabilities>;
  /** Used when the engine has to load the model for a request. */
  loadOptions?: LoadOptions;
}

const PROVIDER = 'local';
const TEXT_ID = 'text-0';

/** A GGUF model on the local engine, seen through the model spec like any other provider. */
export class LocalLanguageModel implements LanguageModel {
  readonly provider = PROVIDER;
  readonly modelId: string;
  readonly capabilities: ModelCapabilities;
  private readonly engine: Engine;
  private readonly modelPath: string;
  private readonly loadOptions: LoadOptions | undefined;

  constructor(options: LocalLanguageModelOptions) {
    this.engine = options.engine;
    this.modelId = options.modelId;
    this.modelPath = options.modelPath;
    this.loadOptions = options.loadOptions;
    this.capabilities = { vision: false, tools: false, reasoning: false, json: false, ...options.capabilities };
  }

  async stream(options: CallOptions): Promise<{ stream: ReadableStream<StreamPart> }> {
    const { request, warnings } = convertToEngineRequest(options, this.modelPath, this.loadOptions);
    const iterator = this.engine.stream(request, options.abortSignal)[Symbol.asyncIterator]();
    const responseId = `local-${randomUUID()}`;
    const modelId = this.modelId;
    let textOpen = false;

    const finish = (controller: ReadableStreamDefaultController<StreamPart>, usage: Usage, finishReason: FinishReason) => {
      if (textOpen) controller.enqueue({ type: 'text-end', id: TEXT_ID });
      textOpen = false;
      controller.enqueue({ type: 'finish', usage, finishReason });
      controller.close();
    };
    const fail = (controller: ReadableStreamDefaultController<StreamPart>, error: ProviderError) => {
      if (textOpen) controller.enqueue({ type: 'text-end', id: TEXT_ID });
      textOpen = false;
      controller.enqueue({ type: 'error', error: error.toData() });
      finish(controller, { inputTokens: {}, outputTokens: {} }, { unified: 'error', raw: error.kind });
    };

    const stream = new ReadableStream<StreamPart>({
      start(controller) {
        controller.enqueue({ type: 'stream-start', warnings });
        controller.enqueue({ type: 'response-metadata', id: responseId, modelId, timestamp: Date.now() });
      },
      // Pull-based: the engine is read only as fast as the consumer reads.
      async pull(controller) {
        let result: IteratorResult<EngineStreamEvent>;
        try {
          result = await iterator.next();
        } catch (error) {
          fail(controller, ProviderError.from(error, { kind: 'server', provider: PROVIDER }));
          return;
        }
        if (result.done) {
          fail(controller, new ProviderError({ kind: 'server', message: 'The engine ended the stream without a result.', provider: PROVIDER }));
          return;
        }
        const event = result.value;
        switch (event.type) {
          case 'text':
            if (!textOpen) controller.enqueue({ type: 'text-start', id: TEXT_ID });
            textOpen = true;
            controller.enqueue({ type: 'text-delta', id: TEXT_ID, delta: event.text });
            return;
          case 'done':
            finish(controller, convertEngineUsage(event), mapEngineFinishReason(event.stopReason));
            return;
          case 'error':
            fail(controller, new ProviderError({ kind: event.kind, message: event.message, provider: PROVIDER }));
            return;
        }
      },
      async cancel() {
        // Stops generation in the worker (the engine aborts a stream whose reader left).
        await iterator.return?.();
      },
    });
    return { stream };
  }
}
