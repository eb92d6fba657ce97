import { ProviderError } from '../../shared/llm';
import { LOCAL_PROVIDER, type ProviderType } from '../config';
import { type EmbeddingModel } from '../providers/types';
import { type ProviderRegistry, parseModelRef } from '../providers/registry';
import { type Store, newCallId } from '../store';
import { type Log, silentLog } from './log';
import { usageColumns } from './usage-columns';

/** One embedding request, from any client (the HTTP gateway today). */
export interface EmbeddingCallRequest {
  /** `provider/model` (a configured provider with embedding models), or a local model id (`local/nomic` or `nomic`). */
  model: string;
  input: string[];
  dimensions?: number;
  /** Recorded on the `calls` row. */
  client: string;
  abortSignal?: AbortSignal;
}

export interface EmbeddingCallResult {
  requestId: string;
  embeddings: number[][];
  /** Unknown stays undefined. */
  inputTokens: number | undefined;
  /** The model that answered (`local/nomic`, `text-embedding-3-small`). */
  model: string;
}

export interface EmbeddingCaller {
  /**
   * Embeds the input and records one `calls` row (begun before the call, finished after it, so a
   * crash leaves it for startup recovery). Rejects with a ProviderError: `not_found` for a name
   * nothing answers, `bad_request` for a provider without embedding models, or the model's own error.
   */
  embed(request: EmbeddingCallRequest): Promise<EmbeddingCallResult>;
}

export interface EmbeddingCallerDeps {
  registry: () => ProviderRegistry;
  /** The local library's embedding model for a name, or undefined. */
  localModel: (name: string) => Promise<EmbeddingModel | undefined>;
  store: Store;
  clock: () => number;
  /** USD for the input tokens, when the catalog prices the model. */
  costOf?: (type: ProviderType, modelId: string, inputTokens: number) => number | undefined;
  log?: Log;
  newId?: () => string;
}

/**
 * Embeddings are not routed (groups hold chat deployments), but they are metered like every other
 * call: one `calls` row per request, with the client's name.
 */
export function createEmbeddingCaller(deps: EmbeddingCallerDeps): EmbeddingCaller {
  const log = deps.log ?? silentLog;
  const newId = deps.newId ?? newCallId;

  async function resolve(name: string): Promise<{ model: EmbeddingModel; type: ProviderType; provider: string }> {
    const ref = parseModelRef(name);
    if (ref === undefined || ref.provider === LOCAL_PROVIDER) {
      const model = await deps.localModel(name);
      if (model === undefined) throw new ProviderError({ kind: 'not_found', message: `no local embedding model "${name}"; name a file in the models folder, or provider/model`, provider: LOCAL_PROVIDER, retryable: false });
      return { model, type: 'local', provider: LOCAL_PROVIDER };
    }
    const registry = deps.registry();
    const entry = registry.get(ref.provider);
    if (entry === undefined) {
      throw new ProviderError({ kind: 'not_found', message: `unknown provider "${ref.provider}" in model "${name}"; configured providers: ${registry.names().join(', ')}`, retryable: false });
    }
    const factory = entry.factory;
    if (factory === undefined) throw new ProviderError({ kind: 'bad_request', message: `provider "${entry.name}" cannot be used: ${entry.problem ?? 'not built'}`, provider: entry.name, retryable: false });
    if (factory.embeddingModel === undefined) {
      throw new ProviderError({ kind: 'bad_request', message: `provider "${entry.name}" (${entry.type}) has no embedding models`, provider: entry.name, retryable: false });
    }
    return { model: factory.embeddingModel(ref.modelId), type: entry.type, provider: entry.name };
  }

  return {
    async embed(request) {
      const { model, type, provider } = await resolve(request.model);
      const requestId = newId();
      const rowId = newId();
      const startedAt = deps.clock();
      const recordedModel = type === 'local' && !model.modelId.startsWith('local/') ? `local/${model.modelId}` : model.modelId;
      const safely = (what: string, write: () => void) => {
        try {
          write();
        } catch (cause) {
          log('error', `embedding request ${requestId}: could not ${what}: ${cause instanceof Error ? cause.message : String(cause)}`);
        }
      };
      safely('record it', () =>
        deps.store.calls.begin({ id: rowId, requestId, attempt: 1, fallbackDepth: 0, conversationId: null, provider, model: recordedModel, deployment: null, startedAt, client: request.client }),
      );
      try {
        const result = await model.embed(request.input, {
          ...(request.dimensions !== undefined && { dimensions: request.dimensions }),
          ...(request.abortSignal !== undefined && { abortSignal: request.abortSignal }),
        });
        const endedAt = deps.clock();
        const tokens = result.usage.inputTokens;
        const costUsd = type === 'local' ? 0 : tokens === undefined ? null : (deps.costOf?.(type, model.modelId, tokens) ?? null);
        safely('finish its row', () =>
          deps.store.calls.finish(rowId, {
            ...usageColumns({ inputTokens: { total: tokens }, outputTokens: {} }),
            costUsd,
            latencyMs: endedAt - startedAt,
            ttftMs: null,
            outcome: 'success',
            errorKind: null,
            errorMessage: null,
            endedAt,
          }),
        );
        return { requestId, embeddings: result.embeddings, inputTokens: tokens, model: result.modelId };
      } catch (cause) {
        const aborted = request.abortSignal?.aborted === true;
        const error = ProviderError.from(cause, { kind: aborted ? 'aborted' : 'server', provider });
        const endedAt = deps.clock();
        safely('finish its row', () =>
          deps.store.calls.finish(rowId, {
            ...usageColumns(undefined),
            costUsd: null,
            latencyMs: endedAt - startedAt,
            ttftMs: null,
            outcome: error.kind === 'aborted' ? 'aborted' : 'error',
            errorKind: error.kind,
            errorMessage: error.message,
            endedAt,
          }),
        );
        throw error;
      }
    },
  };
}
