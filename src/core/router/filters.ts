import { ProviderError, type CallOptions, type ProviderErrorKind } from '../../shared/llm';
import { describeDeployment, type Deployment, type DeploymentCapabilities } from './deployment';

export type Capability = 'vision' | 'tools' | 'json' | 'jsonSchema' | 'reasoning';

/** What a request needs of a deployment. */
export interface Requirements {
  capabilities: Capability[];
  /** Prompt tokens, counted by the caller with the token counters; unknown skips the context check. */
  inputTokens?: number;
  /** The count is an estimate (characters / 4), said so when it drops a deployment. */
  inputTokensEstimated?: boolean;
  maxOutputTokens?: number;
}

export function requirementsOf(options: CallOptions, inputTokens?: number): Requirements {
  const capabilities: Capability[] = [];
  const images = options.messages.some((m) => m.role === 'user' && m.content.some((p) => p.type === 'image'));
  if (images) capabilities.push('vision');
  if ((options.tools?.length ?? 0) > 0 && options.toolChoice !== 'none') capabilities.push('tools');
  if (options.responseFormat?.type === 'json') capabilities.push('json');
  if (options.responseFormat?.type === 'json-schema') capabilities.push('jsonSchema');
  if (options.reasoning !== undefined) capabilities.push('reasoning');
  return {
    capabilities,
    ...(inputTokens !== undefined && { inputTokens }),
    ...(options.maxOutputTokens !== undefined && { maxOutputTokens: options.maxOutputTokens }),
  };
}

export type DropReason =
  | { kind: 'capability'; capability: Capability }
  | { kind: 'context'; neededTokens: number; contextWindow: number; estimated?: boolean }
  | { kind: 'budget' }
  | { kind: 'cooldown'; untilMs: number };

export interface Dropped {
  deployment: Deployment;
  reason: DropReason;
}

export interface FilterContext {
  requirements: Requirements;
  now: number;
  /** True when the deployment's budget is spent. */
  budgetSpent?: (d: Deployment) => boolean;
  /** When the deployment may be tried again, if it is cooling down now. */
  coolingDownUntil?: (d: Deployment) => number | undefined;
}

const CAPABILITY_WORDS: Record<Capability, string> = {
  vision: 'images',
  tools: 'tools',
  json: 'JSON mode',
  jsonSchema: 'JSON schema output',
  reasoning: 'reasoning',
};

function lacks(caps: DeploymentCapabilities, capability: Capability): boolean {
  return caps[capability] === false;
}

/** Why one deployment cannot take the request, or undefined when it can. */
export function dropReason(d: Deployment, ctx: FilterContext): DropReason | undefined {
  const capability = ctx.requirements.capabilities.find((c) => lacks(d.capabilities, c));
  if (capability !== undefined) return { kind: 'capability', capability };
  const { inputTokens, maxOutputTokens } = ctx.requirements;
  if (inputTokens !== undefined && d.contextWindow !== undefined) {
    const neededTokens = inputTokens + (maxOutputTokens ?? 0);
    if (neededTokens > d.contextWindow) {
      return { kind: 'context', neededTokens, contextWindow: d.contextWindow, ...(ctx.requirements.inputTokensEstimated === true && { estimated: true }) };
    }
  }
  if (ctx.budgetSpent?.(d)) return { kind: 'budget' };
  const until = ctx.coolingDownUntil?.(d);
  if (until !== undefined) return { kind: 'cooldown', untilMs: until };
  return undefined;
}

/** The pre-call filters: the deployments that can take the request, and why each other one cannot. */
export function filterDeployments(deployments: readonly Deployment[], ctx: FilterContext): { kept: Deployment[]; dropped: Dropped[] } {
  const kept: Deployment[] = [];
  const dropped: Dropped[] = [];
  for (const deployment of deployments) {
    const reason = dropReason(deployment, ctx);
    if (reason) dropped.push({ deployment, reason });
    else kept.push(deployment);
  }
  return { kept, dropped };
}

export function describeDrop(reason: DropReason, now: number): string {
  switch (reason.kind) {
    case 'capability':
      return `does not support ${CAPABILITY_WORDS[reason.capability]}`;
    case 'context':
      return `context window of ${reason.contextWindow} tokens cannot hold ${reason.neededTokens} (prompt${reason.estimated === true ? ', estimated,' : ''} + max output)`;
    case 'budget':
      return 'its budget is spent';
    case 'cooldown':
      return `cooling down for another ${Math.max(0, Math.ceil((reason.untilMs - now) / 1000))} s after failures`;
  }
}

/** The error kind a request gets when every deployment was dropped. */
function kindOf(dropped: readonly Dropped[]): ProviderErrorKind {
  const kinds = new Set(dropped.map((d) => d.reason.kind));
  if (kinds.has('cooldown')) return 'rate_limit';
  if (kinds.size === 1 && kinds.has('budget')) return 'budget';
  if (kinds.size === 1 && kinds.has('context')) return 'context_length';
  return 'bad_request';
}

/** Thrown (or reported as an error part) when no deployment of a group is left: it says why each was dropped. */
export class NoDeploymentError extends ProviderError {
  readonly group: string;
  readonly dropped: readonly Dropped[];

  constructor(group: string, dropped: readonly Dropped[], now: number) {
    const reasons = dropped.map((d) => `${describeDeployment(d.deployment)}: ${describeDrop(d.reason, now)}`).join('; ');
    const kind = kindOf(dropped);
    const untils = dropped.flatMap((d) => (d.reason.kind === 'cooldown' ? [d.reason.untilMs - now] : []));
    super({
      kind,
      message: `no deployment of "${group}" can take this request: ${reasons || 'the group has no deployments'}`,
      retryable: kind === 'rate_limit',
      ...(untils.length > 0 && { retryAfterMs: Math.max(0, Math.min(...untils)) }),
    });
    this.group = group;
    this.dropped = dropped;
  }
}
