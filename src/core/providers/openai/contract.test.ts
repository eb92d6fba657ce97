import { startOpenAIWire } from '../../../../test/wire/openai-wire';
import { describeModelContract } from '../testing/model-contract';
import { createOpenAI } from './create-openai';

const fakeApiKey = 'sk-test-LEAKCHECK-openai-0123456789abcdef';

describeModelContract({
  name: 'openai',
  startServer: startOpenAIWire,
  createModel: (server, options = {}) =>
    createOpenAI({
      baseURL: server.baseURL,
      apiKey: options.apiKey ?? fakeApiKey,
      // No fallback to the developer's environment: '' must mean "no key".
      apiKeyEnvVar: null,
      maxRetries: options.maxRetries ?? 0,
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    }).languageModel('gpt-4o-mini'),
  fakeApiKey,
  supports: { tools: true, images: true, reasoning: true, cacheRead: true, retryAfter: true },
});
