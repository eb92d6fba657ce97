import { startOpenAIWire } from '../../../../test/wire/openai-wire';
import { keepAliveFetch } from '../http/keep-alive-fetch';
import { describeModelContract } from '../testing/model-contract';
import { createOpenAI } from './create-openai';

const fakeApiKey = 'sk-test-LEAKCHECK-openai-sdk-0123456789abcdef';

// A `fetch` of our own sends chat completions through the SDK (openAIPartStream) instead of the
// direct undici path that contract.test.ts covers: both must meet the same contract.
describeModelContract({
  name: 'openai',
  startServer: startOpenAIWire,
  createModel: (server, options = {}) =>
    createOpenAI({
      baseURL: server.baseURL,
      apiKey: options.apiKey ?? fakeApiKey,
      apiKeyEnvVar: null,
      maxRetries: options.maxRetries ?? 0,
      fetch: keepAliveFetch(),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    }).languageModel('gpt-4o-mini'),
  fakeApiKey,
  supports: { tools: true, images: true, reasoning: true, cacheRead: true, retryAfter: true },
});
