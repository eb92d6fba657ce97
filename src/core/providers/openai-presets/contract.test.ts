import { afterEach, beforeEach, vi } from 'vitest';
import { startPresetsWire } from '../../../../test/wire/openai-presets-wire';
import type { WireServer } from '../../../../test/wire/scenario';
import type { LanguageModel } from '../../../shared/llm';
import { describeModelContract } from '../testing/model-contract';
import type { ContractSubject } from '../testing/contract-subject';
import { createAzureOpenAI } from './create-azure-openai';
import { createDeepSeek } from './create-deepseek';
import { createOpenAICompatible } from './create-openai-compatible';
import { createOpenRouter } from './create-openrouter';

// '' must mean "no key", whatever the developer's shell holds.
beforeEach(() => {
  for (const name of ['OPENAI_API_KEY', 'AZURE_OPENAI_API_KEY', 'OPENROUTER_API_KEY', 'DEEPSEEK_API_KEY']) vi.stubEnv(name, '');
});
afterEach(() => vi.unstubAllEnvs());

const supports: ContractSubject['supports'] = { tools: true, images: true, reasoning: true, cacheRead: true, retryAfter: true };

type Connect = (origin: string, settings: { apiKey: string; maxRetries: number; timeoutMs?: number }) => LanguageModel;

/** Each preset is its own adapter to callers, so each runs the whole contract suite against the OpenAI wire. */
function presetSubject(
  name: string,
  connect: Connect,
  extra: { usageDialect?: 'openai' | 'deepseek'; requiresApiKey?: boolean } = {},
): ContractSubject {
  const fakeApiKey = `sk-test-LEAKCHECK-${name}-0123456789abcdef`;
  const usageDialect = extra.usageDialect ?? 'openai';
  return {
    name,
    ...(extra.requiresApiKey === undefined ? {} : { requiresApiKey: extra.requiresApiKey }),
    startServer: async (): Promise<WireServer> => {
      const wire = await startPresetsWire({ usageDialect });
      return { baseURL: wire.origin, requests: wire.requests, enqueue: wire.enqueue, close: wire.close };
    },
    createModel: (server, options = {}) =>
      connect(server.baseURL, {
        apiKey: options.apiKey ?? fakeApiKey,
        maxRetries: options.maxRetries ?? 0,
        ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      }),
    fakeApiKey,
    supports,
  };
}

// A self-hosted server reports the name it was configured under, and needs no key.
describeModelContract(
  presetSubject('lab', (origin, s) => createOpenAICompatible({ name: 'lab', baseURL: `${origin}/v1`, ...s }).languageModel('served-model'), {
    requiresApiKey: false,
  }),
);
describeModelContract(
  presetSubject('openrouter', (origin, s) => createOpenRouter({ baseURL: `${origin}/api/v1`, ...s }).languageModel('openai/gpt-4o-mini')),
);
describeModelContract(
  presetSubject('deepseek', (origin, s) => createDeepSeek({ baseURL: origin, ...s }).languageModel('deepseek-chat'), { usageDialect: 'deepseek' }),
);
describeModelContract(
  presetSubject('azure', (origin, s) =>
    createAzureOpenAI({ endpoint: origin, apiVersion: '2024-10-21', deployment: 'gpt-4o-mini', ...s }).languageModel('gpt-4o-mini'),
  ),
);
