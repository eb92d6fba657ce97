import { describe, expect, it } from 'vitest';
import type { CatalogEntry } from '../catalog';
import { buildGroups } from './model-group';
import { resolveTarget, type RoutingTable } from './resolve-target';

const providerTypes = { openai: 'openai', claude: 'anthropic', or: 'openrouter', local: 'local' };
const entry: CatalogEntry = {
  provider: 'openai',
  modelId: 'gpt-4o',
  contextWindow: 128_000,
  prices: { input: 2.5, output: 10 },
  local: false,
  capabilities: { vision: true, tools: true, jsonSchema: true },
  transforms: {},
  sources: ['package'],
};
const catalog = { lookupModel: (p: string, m: string) => (p === 'openai' && m === 'gpt-4o' ? entry : undefined) };
const groups = buildGroups(
  {
    coder: { strategy: 'weighted', deployments: [{ provider: 'local', model: 'qwen-coder.gguf', weight: 3 }, { provider: 'openai', model: 'gpt-4o' }], fallbacks: ['fast'] },
    fast: { deployments: [{ provider: 'openai', model: 'gpt-4o-mini', order: 1 }] },
  },
  { providerTypes, catalog },
);
const table: RoutingTable = { groups, aliases: { smart: 'coder', broken: 'nope' }, providerTypes, localModels: ['llama-3.2-1b'], catalog };

describe('buildGroups', () => {
  it('builds deployments with ids, weight, order, and the catalog entry (capabilities, context, prices)', () => {
    const coder = groups.get('coder')!;
    expect(coder.strategy).toBe('weighted');
    expect(coder.fallbacks).toEqual(['fast']);
    expect(coder.deployments.map((d) => [d.id, d.provider, d.providerType, d.model, d.weight, d.order])).toEqual([
      ['coder#0', 'local', 'local', 'qwen-coder.gguf', 3, 0],
      ['coder#1', 'openai', 'openai', 'gpt-4o', 1, 0],
    ]);
    expect(coder.deployments[1]!.contextWindow).toBe(128_000);
    expect(coder.deployments[1]!.capabilities).toEqual({ vision: true, tools: true, jsonSchema: true });
    expect(coder.deployments[1]!.entry?.prices?.input).toBe(2.5);
    expect(groups.get('fast')!.strategy).toBe('ordered');
  });
});

describe('resolveTarget', () => {
  it('finds a configured group, then an alias', () => {
    expect(resolveTarget('coder', table)).toMatchObject({ via: 'group', group: { name: 'coder' } });
    expect(resolveTarget('smart', table)).toMatchObject({ via: 'alias', group: { name: 'coder' } });
  });

  it('says when an alias names a missing group', () => {
    expect(() => resolveTarget('broken', table)).toThrow(/alias "broken" names "nope", which is neither a group nor a configured provider\/model/);
  });

  it('resolves an alias of a provider/model ref to its one-deployment group', () => {
    const withRef: RoutingTable = { ...table, aliases: { cheap: 'openai/gpt-4o-mini', lost: 'nowhere/x' } };
    expect(resolveTarget('cheap', withRef)).toMatchObject({ via: 'alias', group: { name: 'openai/gpt-4o-mini', deployments: [{ provider: 'openai', model: 'gpt-4o-mini' }] } });
    expect(() => resolveTarget('lost', withRef)).toThrow(/alias "lost" names "nowhere\/x"/);
  });

  it('makes an ad-hoc single-deployment group for provider/model, with catalog data', () => {
    const { group, via } = resolveTarget('openai/gpt-4o', table);
    expect(via).toBe('provider-model');
    expect(group.deployments).toHaveLength(1);
    expect(group.deployments[0]).toMatchObject({ id: 'openai/gpt-4o', provider: 'openai', model: 'gpt-4o', contextWindow: 128_000 });
  });

  it('auto: a configured auto group, or every configured deployment once', () => {
    const { group, via } = resolveTarget('auto', table);
    expect(via).toBe('auto');
    expect(group.deployments.map((d) => `${d.provider}/${d.model}`)).toEqual(['local/qwen-coder.gguf', 'openai/gpt-4o', 'openai/gpt-4o-mini']);
    const withAuto = buildGroups({ auto: { deployments: [{ provider: 'local', model: 'x.gguf' }] } }, { providerTypes });
    expect(resolveTarget('auto', { ...table, groups: withAuto }).group.deployments[0]!.model).toBe('x.gguf');
    expect(() => resolveTarget('auto', { ...table, groups: new Map() })).toThrow(/auto needs at least one configured group/);
  });

  it.each([
    ['claude-sonnet-4-5', 'claude'],
    ['gpt-4.1', 'openai'],
    ['o3-mini', 'openai'],
    ['meta-llama/llama-3.3-70b', 'or'],
    ['tiny.gguf', 'local'],
    ['llama-3.2-1b', 'local'],
  ])('resolves the bare name %s by convention to provider %s', (name, provider) => {
    const { group, via } = resolveTarget(name, table);
    expect(via).toBe('convention');
    expect(group.deployments[0]).toMatchObject({ provider, model: name });
  });

  it('prefers a configured provider named by the vendor part over openrouter', () => {
    expect(resolveTarget('claude/claude-haiku', table).via).toBe('provider-model');
  });

  it('fails clearly, listing groups, aliases and providers', () => {
    expect(() => resolveTarget('mystery', table)).toThrow(
      'no model "mystery": not a group, alias or provider/model, and no provider convention matches it. Groups: coder, fast; aliases: smart, broken; providers: openai, claude, or, local (name one as provider/model)',
    );
    const noAnthropic = { ...table, providerTypes: { openai: 'openai' } };
    expect(() => resolveTarget('claude-3-opus', noAnthropic)).toThrow(/looks like a anthropic model, but no such provider is configured/);
    try {
      resolveTarget('mystery', table);
    } catch (e) {
      expect((e as { kind: string }).kind).toBe('not_found');
    }
  });
});
