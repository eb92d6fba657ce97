import { describe, expect, it } from 'vitest';
import type { CatalogEntry } from '../catalog';
import { createDeployment, type Deployment } from './deployment';
import { expectedCost, orderDeployments, weightedShuffle, type StrategyContext } from './strategies';
import { seededRandom } from '../../shared/seeded-random';

const entry = (input: number | undefined, output: number | undefined, local = false): CatalogEntry => ({
  provider: 'x',
  modelId: 'x',
  local,
  capabilities: {},
  transforms: {},
  sources: ['package'],
  ...(input !== undefined && output !== undefined && { prices: { input, output } }),
});
const a = createDeployment({ id: 'a', provider: 'openai', model: 'a', order: 2, weight: 1, entry: entry(10, 30) });
const b = createDeployment({ id: 'b', provider: 'openai', model: 'b', order: 1, weight: 3, entry: entry(0.15, 0.6) });
const c = createDeployment({ id: 'c', provider: 'local', model: 'c', order: 1, weight: 0, entry: entry(undefined, undefined, true) });
const d = createDeployment({ id: 'd', provider: 'or', model: 'd', order: 3, weight: 1 });
const all = [a, b, c, d];

const ctx = (over: Partial<StrategyContext> = {}): StrategyContext => ({
  random: seededRandom(7),
  latencyOf: () => undefined,
  inFlight: () => 0,
  costOf: (x) => expectedCost(x, 1000, 1000),
  turn: 0,
  ...over,
});
const ids = (list: Deployment[]) => list.map((x) => x.id).join('');

describe('strategies', () => {
  it('ordered: by order, ties in config order', () => {
    expect(ids(orderDeployments('ordered', all, ctx()))).toBe('bcad');
  });

  it('weighted: draws in proportion to weight with the seeded random; weight 0 goes last', () => {
    const firsts = new Map<string, number>();
    const random = seededRandom(42);
    for (let i = 0; i < 4000; i++) {
      const order = orderDeployments('weighted', [a, b, c], ctx({ random }));
      expect(order.at(-1)).toBe(c);
      firsts.set(order[0]!.id, (firsts.get(order[0]!.id) ?? 0) + 1);
    }
    expect(firsts.get('b')! / 4000).toBeGreaterThan(0.7);
    expect(firsts.get('b')! / 4000).toBeLessThan(0.8);
    expect(ids(weightedShuffle([a, b], () => 0))).toBe('ab');
    expect(ids(weightedShuffle([a, b], () => 0.99))).toBe('ba');
  });

  it('round-robin: rotates the ordered list by turn', () => {
    expect(ids(orderDeployments('round-robin', all, ctx({ turn: 0 })))).toBe('bcad');
    expect(ids(orderDeployments('round-robin', all, ctx({ turn: 1 })))).toBe('cadb');
    expect(ids(orderDeployments('round-robin', all, ctx({ turn: 5 })))).toBe('cadb');
    expect(orderDeployments('round-robin', [], ctx())).toEqual([]);
  });

  it('lowest-latency: fastest p50 first; no data goes first so it gets measured', () => {
    const latency: Record<string, number> = { a: 100, b: 300, c: 50 };
    expect(ids(orderDeployments('lowest-latency', all, ctx({ latencyOf: (x) => latency[x.id] })))).toBe('dcab');
  });

  it('lowest-cost: cheapest first (local is free), unknown prices last', () => {
    expect(ids(orderDeployments('lowest-cost', all, ctx()))).toBe('cbad');
    expect(expectedCost(a, 1_000_000, 0)).toBe(10);
    expect(expectedCost(d, 1, 1)).toBeUndefined();
    expect(expectedCost(createDeployment({ provider: 'x', model: 'y', entry: entry(undefined, undefined) }), 1, 1)).toBeUndefined();
  });

  it('least-busy: fewest in flight first, ties by order', () => {
    const busy: Record<string, number> = { a: 0, b: 2, c: 1, d: 0 };
    expect(ids(orderDeployments('least-busy', all, ctx({ inFlight: (x) => busy[x.id]! })))).toBe('adcb');
  });
});
