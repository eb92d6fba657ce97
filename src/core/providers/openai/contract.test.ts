import { describe } from 'vitest';
import { startOpenAIWire } from '../../../../test/wire/openai-wire';
import { keepAliveFetch } from '../http/keep-alive-fetch';
import type { ContractSubject } from '../testing/contract-subject';
import { describeModelContract } from '../testing/model-contract';
import { createOpenAI } from './create-openai';

const fakeApiKey = 'sk-test-LEAKCHECK-openai-0123456789abcdef';

/** The subject with chat completions over undici directly, or through the SDK when given a `fetch`. */
const openAISubject = (fetch?: typeof globalThis.fetch): ContractSubject => ({
  name: 'openai',
  startServer: startOpenAIWire,
  createModel: (server, options = {}) =>
    createOpenAI({
      baseURL: server.baseURL,
      apiKey: options.apiKey ?? fakeApiKey,
      // No fallback to the developer's environment: '' must mean "no key".
      apiKeyEnvVar: null,
      maxRetries: options.maxRetries ?? 0,
      ...(fetch === undefined ? {} : { fetch }),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    }).languageModel('gpt-4o-mini'),
  fakeApiKey,
  supports: { tools: true, images: true, reasoning: true, cacheRead: true, retryAfter: true },
});

describeModelContract(openAISubject());

// A `fetch` of our own sends chat completions through the SDK (openAIPartStream) instead of the
// direct undici path: both must meet the same contract.
describe('through the SDK', () => describeModelContract(openAISubject(keepAliveFetch())));
