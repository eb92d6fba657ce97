import type { CatalogEntry } from '../../catalog';
import { collectStream, type CallOptions, type StreamPart } from '../../../shared/llm';
import { createDeployment, type DeploymentCapabilities } from '../deployment';
import type { ModelGroup } from '../model-group';
import { createRouter, type RouteRequest, type RouterOptions } from '../router';
import type { AttemptRecord } from '../router-types';
import type { StrategyName } from '../strategies';
import { scriptedModel, type CallScript, type ScriptedModel } from './scripted-model';
import { seededRandom } from '../../../shared/seeded-random';
import { createVirtualTime } from './virtual-time';

export interface HarnessDeployment {
  provider: string;
  model: string;
  scripts?: CallScript[];
  weight?: number;
  order?: number;
  capabilities?: DeploymentCapabilities;
  contextWindow?: number;
  entry?: CatalogEntry;
}

export interface HarnessGroup {
  strategy?: StrategyName;
  deployments: HarnessDeployment[];
  fallbacks?: string[];
  contextWindowFallbacks?: string[];
  contentPolicyFallbacks?: string[];
}

export function prompt(text = 'hi', extra: Partial<CallOptions> = {}): CallOptions {
  return { messages: [{ role: 'user', content: [{ type: 'text', text }] }], ...extra };
}

/** A router over scripted models in virtual time, recording every attempt. */
export function createHarness(
  groups: Record<string, HarnessGroup>,
  extra: Partial<Omit<RouterOptions, 'groups' | 'resolveModel' | 'clock' | 'sleep' | 'random'>> & {
    seed?: number;
    /** Called as each sleep starts, before virtual time moves. */
    onSleep?: (ms: number) => void;
  } = {},
) {
  const time = createVirtualTime();
  const records: AttemptRecord[] = [];
  const models = new Map<string, ScriptedModel>();
  const map = new Map<string, ModelGroup>();
  for (const [name, g] of Object.entries(groups)) {
    map.set(name, {
      name,
      strategy: g.strategy ?? 'ordered',
      fallbacks: g.fallbacks ?? [],
      ...(g.contextWindowFallbacks && { contextWindowFallbacks: g.contextWindowFallbacks }),
      ...(g.contentPolicyFallbacks && { contentPolicyFallbacks: g.contentPolicyFallbacks }),
      deployments: g.deployments.map((d, i) => {
        const deployment = createDeployment({ id: `${name}#${i}`, ...d });
        models.set(deployment.id, scriptedModel(time, d.scripts ?? [{}], { provider: d.provider, modelId: d.model }));
        return deployment;
      }),
    });
  }
  const { seed, onSleep, ...rest } = extra;
  const router = createRouter({
    groups: map,
    clock: time.clock,
    sleep: (ms, signal) => {
      onSleep?.(ms);
      return time.sleep(ms, signal);
    },
    random: seededRandom(seed ?? 1),
    resolveModel: (d) => {
      const model = models.get(d.id);
      if (!model) throw new Error(`no scripted model for ${d.id}`);
      return model;
    },
    onAttempt: (r) => records.push(r),
    ...rest,
  });

  async function send(request: Partial<RouteRequest> & { model: string }) {
    const routed = await router.stream({ options: prompt(), ...request });
    const parts: StreamPart[] = [];
    const reader = routed.stream.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
    }
    const result = await collectStream(
      new ReadableStream({
        start(c) {
          for (const p of parts) c.enqueue(p);
          c.close();
        },
      }),
    );
    return { routed, parts, result, records: records.filter((r) => r.requestId === routed.requestId) };
  }

  return { router, time, records, models, groups: map, send };
}

/** The router's stream contract: stream-start first, one finish last, an error only right before it. */
export function expectWellFormed(parts: StreamPart[]): void {
  const problems: string[] = [];
  if (parts[0]?.type !== 'stream-start') problems.push('first part is not stream-start');
  if (parts.filter((p) => p.type === 'stream-start').length !== 1) problems.push('not exactly one stream-start');
  if (parts.filter((p) => p.type === 'finish').length !== 1) problems.push('not exactly one finish');
  if (parts.at(-1)?.type !== 'finish') problems.push('last part is not finish');
  const errors = parts.filter((p) => p.type === 'error').length;
  if (errors > 1) problems.push('more than one error part');
  if (errors === 1 && parts.at(-2)?.type !== 'error') problems.push('the error part is not right before finish');
  if (problems.length > 0) throw new Error(`${problems.join('; ')}: ${parts.map((p) => p.type).join(',')}`);
}
