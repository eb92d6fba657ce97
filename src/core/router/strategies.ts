import type { Deployment } from './deployment';
import type { Random } from './router-types';

export const STRATEGIES = ['ordered', 'weighted', 'round-robin', 'lowest-cost', 'lowest-latency', 'least-busy'] as const;
export type StrategyName = (typeof STRATEGIES)[number];

export interface StrategyContext {
  random: Random;
  /** p50 latency from health; undefined when there is no data yet. */
  latencyOf: (d: Deployment) => number | undefined;
  /** Attempts in flight now. */
  inFlight: (d: Deployment) => number;
  /** The expected cost of this request on the deployment; undefined when unknown. */
  costOf: (d: Deployment) => number | undefined;
  /** A counter that grows by one per request of the group, for round-robin. */
  turn: number;
}

type Ordering = (candidates: readonly Deployment[], ctx: StrategyContext) => Deployment[];

/** Stable sort by a key; ties keep the given (config) order. Undefined keys go last. */
function sortBy(candidates: readonly Deployment[], key: (d: Deployment) => number | undefined): Deployment[] {
  return candidates
    .map((d, i) => ({ d, i, k: key(d) }))
    .sort((a, b) => (a.k ?? Infinity) - (b.k ?? Infinity) || a.i - b.i)
    .map((x) => x.d);
}

const ordered: Ordering = (candidates) => sortBy(candidates, (d) => d.order);

/** A weighted shuffle: each position drawn with probability proportional to weight among those left. Weight 0 goes last. */
export function weightedShuffle(candidates: readonly Deployment[], random: Random): Deployment[] {
  const left = candidates.filter((d) => d.weight > 0);
  const out: Deployment[] = [];
  while (left.length > 0) {
    const total = left.reduce((sum, d) => sum + d.weight, 0);
    let r = random() * total;
    let index = left.length - 1;
    for (let i = 0; i < left.length; i++) {
      r -= left[i]!.weight;
      if (r < 0) {
        index = i;
        break;
      }
    }
    out.push(...left.splice(index, 1));
  }
  return [...out, ...candidates.filter((d) => d.weight <= 0)];
}

const roundRobin: Ordering = (candidates, ctx) => {
  const base = ordered(candidates, ctx);
  if (base.length === 0) return base;
  const start = ctx.turn % base.length;
  return [...base.slice(start), ...base.slice(0, start)];
};

/** Lowest p50 latency first; deployments without data go first, so they get measured. */
const lowestLatency: Ordering = (candidates, ctx) => sortBy(candidates, (d) => ctx.latencyOf(d) ?? -1);

/** Cheapest expected cost first; unknown prices last. */
const lowestCost: Ordering = (candidates, ctx) => sortBy(candidates, (d) => ctx.costOf(d));

const leastBusy: Ordering = (candidates, ctx) => sortBy(ordered(candidates, ctx), (d) => ctx.inFlight(d));

const ORDERINGS: Record<StrategyName, Ordering> = {
  ordered,
  weighted: (candidates, ctx) => weightedShuffle(ordered(candidates, ctx), ctx.random),
  'round-robin': roundRobin,
  'lowest-cost': lowestCost,
  'lowest-latency': lowestLatency,
  'least-busy': leastBusy,
};

/** Every candidate, best first: the first is the pick, the rest are its peers for retries. */
export function orderDeployments(strategy: StrategyName, candidates: readonly Deployment[], ctx: StrategyContext): Deployment[] {
  return ORDERINGS[strategy](candidates, ctx);
}

/** USD for `inputTokens` in and `outputTokens` out at the deployment's catalog prices; 0 for local; undefined when unknown. */
export function expectedCost(d: Deployment, inputTokens: number, outputTokens: number): number | undefined {
  const entry = d.entry;
  if (!entry) return undefined;
  if (entry.local) return 0;
  const input = entry.prices?.input;
  const output = entry.prices?.output;
  if (input === undefined || output === undefined) return undefined;
  return (inputTokens * input + outputTokens * output) / 1_000_000;
}
