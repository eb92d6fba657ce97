import type { LanguageModel } from '../../../shared/llm';
import type { WireServer } from '../../../../test/wire/scenario';

/**
 * One adapter under the shared contract suite: how to start its wire server and how to get a
 * model pointed at it through the real SDK. Each adapter folder has a `contract.test.ts` that
 * calls `describeModelContract(subject)`.
 */
export interface ContractSubject {
  /** Provider name as the adapter reports it (`openai`, `anthropic`, `ollama`, …). */
  name: string;
  startServer(): Promise<WireServer>;
  createModel(server: WireServer, options?: { apiKey?: string; timeoutMs?: number; maxRetries?: number }): LanguageModel;
  /** A recognizable key the suite checks never appears in errors or logs. Omit for keyless providers. */
  fakeApiKey?: string;
  /** A call without a key fails with `auth`. False for servers where a key is optional (self-hosted). Defaults to true. */
  requiresApiKey?: boolean;
  supports: {
    tools: boolean;
    images: boolean;
    reasoning: boolean;
    /** The provider reports cache-read tokens. */
    cacheRead: boolean;
    /** The provider sends Retry-After that the adapter should surface. */
    retryAfter: boolean;
    /** The provider can end an answer as filtered. Ollama never does. Defaults to true. */
    contentFilter?: boolean;
  };
}
