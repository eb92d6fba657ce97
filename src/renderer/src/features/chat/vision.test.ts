import { describe, expect, it } from 'vitest';
import type { SelectableModel } from '../../../../shared/domain';
import { visionAdvice } from './vision';

const model = (ref: string, vision: boolean | null, error: string | null = null): SelectableModel => {
  const [provider = '', modelId = ''] = ref.split('/');
  return {
    ref, provider, providerType: provider, modelId, displayName: modelId, source: 'catalog', contextWindow: null, maxOutputTokens: null,
    prices: null, capabilities: { vision, tools: null, reasoning: null }, runsLocally: false, error, file: null,
  };
};

const items = [model('local/tiny', false), model('a/text-only', false), model('b/seer', true), model('a/broken-eye', true, 'no key'), model('a/eye', true), model('c/who-knows', null)];

describe('visionAdvice', () => {
  it('has nothing to say without images, or for a vision model', () => {
    expect(visionAdvice('local/tiny', items, 0)).toEqual({ kind: 'ok' });
    expect(visionAdvice('b/seer', items, 2)).toEqual({ kind: 'ok' });
    expect(visionAdvice(null, items, 1)).toEqual({ kind: 'ok' });
  });

  it('holds images for a model without vision and offers a usable vision model, from the same provider first', () => {
    expect(visionAdvice('a/text-only', items, 1)).toEqual({ kind: 'no-vision', model: 'text-only', suggestion: items[4] });
    expect(visionAdvice('local/tiny', items, 1)).toEqual({ kind: 'no-vision', model: 'tiny', suggestion: items[2] });
    expect(visionAdvice('local/tiny', [items[0]!], 1)).toEqual({ kind: 'no-vision', model: 'tiny', suggestion: null });
    // a local file with no capability data: the engine cannot take images
    expect(visionAdvice('local/other', [model('local/other', null)], 1)).toMatchObject({ kind: 'no-vision' });
  });

  it('warns, without holding, when nobody knows (an unlisted ref, or a model with no capability data)', () => {
    expect(visionAdvice('c/who-knows', items, 1)).toMatchObject({ kind: 'unknown', model: 'who-knows', suggestion: items[2] });
    expect(visionAdvice('a/typed-by-hand', items, 1)).toMatchObject({ kind: 'unknown', model: 'a/typed-by-hand', suggestion: items[4] });
  });
});
