import { startAnthropicWire } from '../../../../test/wire/anthropic-wire';
import { describeModelContract } from '../testing/model-contract';
import { createAnthropic } from './create-anthropic';

const FAKE_KEY = 'sk-ant-api03-CONTRACT-FAKE-KEY-0123456789abcdef';

describeModelContract({
  name: 'anthropic',
  startServer: startAnthropicWire,
  createModel: (server, options = {}) =>
    createAnthropic({
      apiKey: options.apiKey ?? FAKE_KEY,
      baseURL: server.baseURL,
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      ...(options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries }),
    }).languageModel('claude-haiku-4-5'),
  fakeApiKey: FAKE_KEY,
  supports: { tools: true, images: true, reasoning: true, cacheRead: true, retryAfter: true },
});
