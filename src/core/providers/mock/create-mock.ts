import { ProviderError, type ModelCapabilities } from '../../../shared/llm';
import type { ProviderFactory } from '../types';
import { seededRandom } from '../../../shared/seeded-random';
import { MockLanguageModel } from './mock-language-model';
import { mockSettingsSchema, type MockSettings } from './mock-settings';

export interface MockProvider extends ProviderFactory {
  languageModel(modelId: string): MockLanguageModel;
  readonly capabilities: ModelCapabilities;
}

/**
 * The `mock` provider: canned or echoed answers with configurable latency and faults, so a user
 * can try routes and the UI with no key (LiteLLM's `mock_response`). Settings are checked with
 * zod; a bad one throws a `bad_request` ProviderError naming its path.
 */
export function createMock(settings: MockSettings = {}): MockProvider {
  const parsed = mockSettingsSchema.safeParse(settings);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ProviderError({ kind: 'bad_request', message: `mock.${(issue?.path ?? []).map(String).join('.')}: ${issue?.message ?? 'invalid'}`, provider: 'mock' });
  }
  const checked = parsed.data;
  const random = seededRandom(checked.seed ?? 1);
  return {
    provider: 'mock',
    capabilities: { vision: true, tools: true, reasoning: true, json: true },
    languageModel: (modelId) => new MockLanguageModel(modelId, checked, random),
  };
}
