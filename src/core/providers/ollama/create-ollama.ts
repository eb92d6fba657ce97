import { ProviderError, type ModelCapabilities } from '../../../shared/llm';
import type { ProviderFactory } from '../types';
import {
  convertOllamaList,
  convertOllamaPs,
  convertOllamaShow,
  convertPullProgress,
  listResponseSchema,
  pullProgressSchema,
  showResponseSchema,
  type OllamaModelInfo,
  type OllamaModelSummary,
  type OllamaPullProgress,
  type OllamaRunningModel,
} from './convert-ollama-models';
import { OllamaChatModel, type OllamaConnection } from './ollama-chat-model';
import { OllamaEmbeddingModel } from './ollama-embedding-model';
import { ollamaRequest } from './ollama-request';

export const DEFAULT_OLLAMA_BASE_URL = 'http://127.0.0.1:11434';

export interface OllamaProviderSettings {
  /** Where Ollama listens. Default `http://127.0.0.1:11434`. */
  baseURL?: string;
  /** Sent with every request (a reverse proxy's auth, for instance). */
  headers?: Record<string, string>;
  /** For Ollama's cloud or a proxy that wants one: sent as `Authorization: Bearer`. Never in errors. */
  apiKey?: string;
  /**
   * Idle timeout per request: this long without response headers, or without a new chunk of a
   * stream, fails the call as `timeout`. A long answer that keeps streaming never times out.
   * Default 300 000 (a cold model can take minutes to load).
   */
  timeoutMs?: number;
  /** Capabilities to report per model, when known (from `show()`, or the catalog). */
  capabilities?: (modelId: string) => Partial<ModelCapabilities> | undefined;
  /** Replaces the global fetch (tests, proxies). */
  fetch?: typeof fetch;
}

export interface OllamaProvider extends ProviderFactory {
  readonly baseURL: string;
  languageModel(modelId: string): OllamaChatModel;
  embeddingModel(modelId: string): OllamaEmbeddingModel;
  /** Installed models (`GET /api/tags`). */
  list(options?: { signal?: AbortSignal }): Promise<OllamaModelSummary[]>;
  /** One model in detail (`POST /api/show`); `not_found` when it is not installed. */
  show(model: string, options?: { signal?: AbortSignal }): Promise<OllamaModelInfo>;
  /** Models loaded in memory (`GET /api/ps`). */
  ps(options?: { signal?: AbortSignal }): Promise<OllamaRunningModel[]>;
  /**
   * Downloads a model (`POST /api/pull`), reporting each progress event. Resolves on Ollama's
   * `success`; rejects with a ProviderError (`not_found` for a name the registry does not know,
   * `aborted` when the signal fires).
   */
  pull(model: string, options?: { onProgress?: (progress: OllamaPullProgress) => void; signal?: AbortSignal }): Promise<void>;
  /** Removes an installed model (`DELETE /api/delete`); `not_found` when there is none. */
  delete(model: string, options?: { signal?: AbortSignal }): Promise<void>;
  /** The server's version (`GET /api/version`): a cheap reachability check. */
  version(options?: { signal?: AbortSignal }): Promise<string>;
}

/**
 * The Ollama provider, through the official `ollama` client: chat models, embedding models, and
 * the model library (list, show, ps, pull, delete). Ollama needs no key; a connection refused
 * says Ollama isn't running at the base URL.
 */
export function createOllama(settings: OllamaProviderSettings = {}): OllamaProvider {
  const baseURL = (settings.baseURL ?? DEFAULT_OLLAMA_BASE_URL).replace(/\/+$/, '');
  const headers: Record<string, string> = { ...settings.headers };
  const secrets: string[] = [];
  if (settings.apiKey !== undefined && settings.apiKey !== '') {
    headers.Authorization = `Bearer ${settings.apiKey}`;
    secrets.push(settings.apiKey);
  }
  const connection: OllamaConnection = {
    baseURL,
    headers,
    timeoutMs: settings.timeoutMs ?? 300_000,
    secrets,
    ...(settings.fetch === undefined ? {} : { fetch: settings.fetch }),
  };
  const invalid = (what: string) => new ProviderError({ kind: 'server', message: `Ollama at ${baseURL} answered ${what} with an unexpected body.`, provider: 'ollama' });

  return {
    provider: 'ollama',
    baseURL,
    languageModel: (modelId) => new OllamaChatModel(modelId, connection, settings.capabilities?.(modelId)),
    embeddingModel: (modelId) => new OllamaEmbeddingModel(modelId, connection),

    async list(options = {}) {
      const raw = await ollamaRequest(connection, (client) => client.list(), options);
      const parsed = listResponseSchema.safeParse(raw);
      if (!parsed.success) throw invalid('/api/tags');
      return convertOllamaList(parsed.data);
    },

    async show(model, options = {}) {
      const raw = await ollamaRequest(connection, (client) => client.show({ model }), options);
      const parsed = showResponseSchema.safeParse(raw);
      if (!parsed.success) throw invalid('/api/show');
      return convertOllamaShow(model, parsed.data);
    },

    async ps(options = {}) {
      const raw = await ollamaRequest(connection, (client) => client.ps(), options);
      const parsed = listResponseSchema.safeParse(raw);
      if (!parsed.success) throw invalid('/api/ps');
      return convertOllamaPs(parsed.data);
    },

    async pull(model, options = {}) {
      const { signal, onProgress } = options;
      await ollamaRequest(
        connection,
        async (client) => {
          const progress = await client.pull({ model, stream: true });
          const onAbort = () => progress.abort();
          signal?.addEventListener('abort', onAbort, { once: true });
          try {
            let succeeded = false;
            for await (const event of progress) {
              const parsed = pullProgressSchema.safeParse(event);
              if (!parsed.success) throw invalid('/api/pull');
              onProgress?.(convertPullProgress(parsed.data));
              if (parsed.data.status === 'success') succeeded = true;
            }
            if (!succeeded) throw new ProviderError({ kind: 'connection', message: `Ollama at ${baseURL} ended the pull of ${model} before it succeeded.`, provider: 'ollama' });
          } finally {
            signal?.removeEventListener('abort', onAbort);
          }
        },
        { signal },
      );
    },

    async delete(model, options = {}) {
      await ollamaRequest(connection, (client) => client.delete({ model }), options);
    },

    async version(options = {}) {
      const raw = await ollamaRequest(connection, (client) => client.version(), options);
      if (typeof raw?.version !== 'string') throw invalid('/api/version');
      return raw.version;
    },
  };
}
