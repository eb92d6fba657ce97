import { describe, expect, it } from 'vitest';
import { createCatalog } from '../catalog';
import { normalizeCallParameters, ParameterError } from './normalize-call-parameters';

const catalog = createCatalog({ now: () => new Date('2026-11-01T12:00:00Z') });

describe('normalizeCallParameters: aliases', () => {
  it('maps every alias to the spec name', () => {
    const cases: [string, unknown, string, unknown][] = [
      ['temp', 0.7, 'temperature', 0.7],
      ['temperature', 0.7, 'temperature', 0.7],
      ['nucleus_sampling', 0.9, 'topP', 0.9],
      ['top_p', 0.9, 'topP', 0.9],
      ['top_k', 40, 'topK', 40],
      ['max_length', 256, 'maxOutputTokens', 256],
      ['max_tokens', 256, 'maxOutputTokens', 256],
      ['max_new_tokens', 256, 'maxOutputTokens', 256],
      ['num_predict', 256, 'maxOutputTokens', 256],
      ['maxOutputTokens', 256, 'maxOutputTokens', 256],
      ['stop_sequences', ['###'], 'stop', ['###']],
      ['stop', '\n\n', 'stop', ['\n\n']],
      ['seed', 42, 'seed', 42],
    ];
    for (const [alias, value, name, expected] of cases) {
      const { settings, warnings } = normalizeCallParameters({ [alias]: value });
      expect(settings, alias).toEqual({ [name]: expected });
      expect(warnings, alias).toEqual([]);
    }
  });
  it('maps reasoning effort and thinking budget to reasoning', () => {
    expect(normalizeCallParameters({ reasoning_effort: 'high', thinking_budget: 2048 }).settings).toEqual({
      reasoning: { effort: 'high', budgetTokens: 2048 },
    });
    expect(() => normalizeCallParameters({ reasoning_effort: 'max' })).toThrow('reasoning_effort "max" is not one of low, medium, high');
    expect(() => normalizeCallParameters({ budget_tokens: 0 })).toThrow('budget_tokens 0 is out of range: expected 1 or more');
    // a model without reasoning: a warning, not sent
    const { settings, warnings } = normalizeCallParameters({ reasoning_effort: 'low' }, catalog.lookupModel('openai', 'gpt-4o'));
    expect(settings).toEqual({});
    expect(warnings).toEqual([
      { type: 'unsupported', feature: 'reasoning', details: 'openai/gpt-4o does not support reasoning_effort; it was not sent' },
    ]);
  });
  it('maps context-size aliases to a load option', () => {
    for (const alias of ['context_length', 'ctx_size', 'num_ctx', 'n_ctx']) {
      expect(normalizeCallParameters({ [alias]: 8192 }), alias).toEqual({ settings: {}, load: { contextSize: 8192 }, warnings: [] });
    }
  });
  it('puts penalties in providerOptions, namespaced by the provider', () => {
    expect(normalizeCallParameters({ frequency_penalty: 0.5, presence_penalty: -1 }).settings).toEqual({
      providerOptions: { openai: { frequency_penalty: 0.5, presence_penalty: -1 } },
    });
    const deepseek = catalog.lookupModel('deepseek', 'deepseek-chat');
    expect(normalizeCallParameters({ frequency_penalty: 0.5 }, deepseek).settings.providerOptions).toEqual({
      deepseek: { frequency_penalty: 0.5 },
    });
  });
  it('accepts numeric strings (CLI and query parameters)', () => {
    expect(normalizeCallParameters({ temp: '0.2', max_tokens: '64' }).settings).toEqual({ temperature: 0.2, maxOutputTokens: 64 });
  });
  it('ignores null and undefined values', () => {
    expect(normalizeCallParameters({ temp: undefined, top_p: null }).settings).toEqual({});
  });
  it('the same value under two aliases is fine; different values are an error', () => {
    expect(normalizeCallParameters({ temp: 0.5, temperature: 0.5 }).settings).toEqual({ temperature: 0.5 });
    expect(() => normalizeCallParameters({ temp: 0.5, temperature: 0.7 })).toThrow(
      'temperature is given twice with different values (temp: 0.5, temperature: 0.7)',
    );
  });
});

describe('normalizeCallParameters: ranges', () => {
  it('names the parameter, the value and the range', () => {
    expect(() => normalizeCallParameters({ temperature: 3.5 })).toThrow('temperature 3.5 is out of range: expected 0 to 2');
    expect(() => normalizeCallParameters({ temp: -0.1 })).toThrow('temp -0.1 is out of range: expected 0 to 2');
    expect(() => normalizeCallParameters({ top_p: 0 })).toThrow('top_p 0 is out of range: expected more than 0 and at most 1');
    expect(() => normalizeCallParameters({ nucleus_sampling: 1.5 })).toThrow('nucleus_sampling 1.5 is out of range');
    expect(() => normalizeCallParameters({ top_k: 0 })).toThrow('top_k 0 is out of range: expected 1 or more');
    expect(() => normalizeCallParameters({ max_tokens: 0 })).toThrow('max_tokens 0 is out of range: expected 1 or more');
    expect(() => normalizeCallParameters({ frequency_penalty: 2.5 })).toThrow('frequency_penalty 2.5 is out of range: expected -2 to 2');
    expect(() => normalizeCallParameters({ n_ctx: -5 })).toThrow('n_ctx -5 is out of range: expected 1 or more');
  });
  it('rejects wrong types', () => {
    expect(() => normalizeCallParameters({ temperature: 'hot' })).toThrow('temperature "hot" is not a number');
    expect(() => normalizeCallParameters({ max_new_tokens: 12.5 })).toThrow('max_new_tokens 12.5 is not an integer');
    expect(() => normalizeCallParameters({ seed: 'x' })).toThrow(ParameterError);
    expect(() => normalizeCallParameters({ stop: [''] })).toThrow(/stop must be/);
    expect(() => normalizeCallParameters({ stop: Array.from({ length: 17 }, (_, i) => `s${i}`) })).toThrow(
      'stop has 17 sequences: expected at most 16',
    );
  });
  it('the model narrows the ranges: Anthropic temperature is 0 to 1, max output and context from the catalog', () => {
    const claude = catalog.lookupModel('anthropic', 'claude-sonnet-4-5');
    expect(() => normalizeCallParameters({ temperature: 1.5 }, claude)).toThrow('temperature 1.5 is out of range: expected 0 to 1');
    expect(() => normalizeCallParameters({ max_tokens: 100_000 }, claude)).toThrow(
      'max_tokens 100000 is out of range: expected 1 to 64000',
    );
    const gpt4o = catalog.lookupModel('openai', 'gpt-4o');
    expect(() => normalizeCallParameters({ num_ctx: 200_000 }, gpt4o)).toThrow('num_ctx 200000 is out of range: expected 1 to 128000');
  });
  it('the error carries the parameter name', () => {
    try {
      normalizeCallParameters({ temp: 9 });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ParameterError);
      expect((error as ParameterError).parameter).toBe('temp');
    }
  });
});

describe('normalizeCallParameters: unsupported parameters become warnings', () => {
  it('a reasoning model drops temperature and top_p with warnings, keeps the rest', () => {
    const o3 = catalog.lookupModel('openai', 'o3');
    const { settings, warnings } = normalizeCallParameters({ temp: 0.2, top_p: 0.9, max_tokens: 500, seed: 1 }, o3);
    expect(settings).toEqual({ maxOutputTokens: 500, seed: 1 });
    expect(warnings).toEqual([
      { type: 'unsupported', feature: 'temperature', details: 'openai/o3 does not support temp; it was not sent' },
      { type: 'unsupported', feature: 'topP', details: 'openai/o3 does not support top_p; it was not sent' },
    ]);
  });
  it('Anthropic has no seed and no penalties', () => {
    const claude = catalog.lookupModel('anthropic', 'claude-sonnet-4-5-20250929');
    const { settings, warnings } = normalizeCallParameters({ seed: 7, presence_penalty: 0.3, top_k: 20 }, claude);
    expect(settings).toEqual({ topK: 20 });
    expect(warnings.map((w) => w.type === 'unsupported' && w.feature)).toEqual(['seed', 'presencePenalty']);
  });
  it('OpenAI has no top_k', () => {
    const { warnings } = normalizeCallParameters({ top_k: 40 }, catalog.lookupModel('openai', 'gpt-4o'));
    expect(warnings).toEqual([{ type: 'unsupported', feature: 'topK', details: 'openai/gpt-4o does not support top_k; it was not sent' }]);
  });
  it('an unsupported value is not range-checked (it is not sent)', () => {
    expect(normalizeCallParameters({ temperature: 5 }, catalog.lookupModel('openai', 'o3')).warnings).toHaveLength(1);
  });
  it('unknown parameter names are warnings, not silent drops', () => {
    expect(normalizeCallParameters({ mirostat: 2 })).toEqual({
      settings: {},
      load: {},
      warnings: [{ type: 'unsupported', feature: 'mirostat', details: 'unknown parameter mirostat; it was not sent' }],
    });
  });
  it('without a catalog entry nothing is flagged', () => {
    expect(normalizeCallParameters({ top_k: 40, seed: 3 }).warnings).toEqual([]);
  });
});
