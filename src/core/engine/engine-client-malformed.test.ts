import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ProviderError } from '../../shared/llm';
import type { EngineStreamEvent } from './engine';
import { createEngine } from './engine-client';

const worker = { path: fileURLToPath(new URL('./__fixtures__/malformed-worker.ts', import.meta.url)), execArgv: ['--import', 'tsx'] };
const engine = createEngine({ worker });
afterAll(() => engine.dispose());

describe('engine client, worker breaking the protocol', () => {
  it('fails a request whose answer is malformed instead of waiting forever', async () => {
    const error = await engine.status().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).kind).toBe('server');
    expect((error as ProviderError).message).toMatch(/malformed/);
  });

  it('ends a stream whose events are malformed with an error', async () => {
    const events: EngineStreamEvent[] = [];
    for await (const event of engine.stream({ modelPath: '/nowhere.gguf', messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] })) {
      events.push(event);
    }
    expect(events.at(-1)).toMatchObject({ type: 'error', kind: 'server' });
  });
});
