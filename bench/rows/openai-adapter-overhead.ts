import { createOpenAI } from '../../src/core/providers/openai';
import { startOpenAIWireProcess } from '../reference/wire-process';
import { CHUNKS, KEY, MODEL, PROMPT, WIRE_SCRIPT, measureAgainstBareSdk } from '../stream-vs-bare-sdk';
import { defineRow } from '../types';

/**
 * The same stream through our OpenAI adapter (createOpenAI → OpenAIChatModel → spec parts) and
 * through the bare `openai` SDK (iterating its chunks), both against the OpenAI wire server on
 * 127.0.0.1, served from its own process (bench/reference/openai-wire-server.ts). How the pairs
 * run and what the verdict reads: `../stream-vs-bare-sdk.ts`.
 */
export default defineRow({
  name: 'openai-adapter-overhead',
  description: `stream ${CHUNKS} chunks from the OpenAI wire server: our adapter vs the bare openai SDK`,
  async run({ log }) {
    const server = await startOpenAIWireProcess(WIRE_SCRIPT);
    const model = createOpenAI({ baseURL: server.baseURL, apiKey: KEY, apiKeyEnvVar: null, maxRetries: 0 }).languageModel(MODEL);
    try {
      return await measureAgainstBareSdk({
        baseURL: server.baseURL,
        label: 'adapter',
        ours: () => model.stream({ messages: [{ role: 'user', content: [{ type: 'text', text: PROMPT }] }] }),
        log,
      });
    } finally {
      server.stop();
    }
  },
});
