import { startOllamaWire } from '../../../../test/wire/ollama-wire';
import { describeModelContract } from '../testing/model-contract';
import { createOllama } from './create-ollama';

// Ollama needs no key (so no leak check by key), reports no cache or reasoning token counts (so
// those cases are skipped), and surfaces Retry-After when a proxy in front of it sends one.
describeModelContract({
  name: 'ollama',
  startServer: () => startOllamaWire(),
  createModel: (server, options = {}) =>
    createOllama({ baseURL: server.baseURL, ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }) }).languageModel('llama3.2'),
  supports: { tools: true, images: true, reasoning: false, cacheRead: false, retryAfter: true, contentFilter: false },
});
