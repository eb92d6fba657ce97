import type { ProviderErrorKind } from '../../shared/llm';
import type { RouterPolicy } from './router';
import { compilePromptMatcher, type RoutingRule } from './rules';

/** The `router:` section of switchboard.yaml, as validated (structurally: the router does not import config). */
export interface RouterSettings {
  maxRetries?: number | undefined;
  baseDelayMs?: number | undefined;
  maxDelayMs?: number | undefined;
  maxRetryAfterMs?: number | undefined;
  maxFallbackDepth?: number | undefined;
  cooldown?:
    | {
        failures?: number | undefined;
        windowMs?: number | undefined;
        cooldownMs?: number | undefined;
        errorKinds?: ProviderErrorKind[] | undefined;
        openAtOnce?: ProviderErrorKind[] | undefined;
      }
    | undefined;
}

/** A rule of switchboard.yaml: the prompt matcher is text until compiled here. */
export interface RuleSettings {
  when: { tag?: string | undefined; model?: string | undefined; client?: string | undefined; prompt?: string | undefined };
  use: string;
}

/** The config's settings over a base policy (the defaults); what the file leaves out keeps the base value. */
export function routerPolicyFrom(settings: RouterSettings, base: RouterPolicy): RouterPolicy {
  const cooldown = settings.cooldown ?? {};
  return {
    retry: {
      ...base.retry,
      maxRetries: settings.maxRetries ?? base.retry.maxRetries,
      baseDelayMs: settings.baseDelayMs ?? base.retry.baseDelayMs,
      maxDelayMs: settings.maxDelayMs ?? base.retry.maxDelayMs,
      maxRetryAfterMs: settings.maxRetryAfterMs ?? base.retry.maxRetryAfterMs,
    },
    breaker: {
      failureThreshold: cooldown.failures ?? base.breaker.failureThreshold,
      windowMs: cooldown.windowMs ?? base.breaker.windowMs,
      cooldownMs: cooldown.cooldownMs ?? base.breaker.cooldownMs,
      countKinds: cooldown.errorKinds ? new Set(cooldown.errorKinds) : base.breaker.countKinds,
      openAtOnceKinds: cooldown.openAtOnce ? new Set(cooldown.openAtOnce) : base.breaker.openAtOnceKinds,
    },
    maxFallbackDepth: settings.maxFallbackDepth ?? base.maxFallbackDepth,
    healthWindowMs: base.healthWindowMs,
  };
}

/** The config's rules, their prompt matchers compiled once (the config schema already refused a bad one). */
export function rulesFrom(rules: readonly RuleSettings[]): RoutingRule[] {
  return rules.map(({ when, use }) => {
    const matcher = when.prompt === undefined ? undefined : compilePromptMatcher(when.prompt);
    if (typeof matcher === 'string') throw new Error(`rule for "${use}": the prompt matcher does not compile: ${matcher}`);
    return {
      use,
      when: {
        ...(when.tag !== undefined && { tag: when.tag }),
        ...(when.model !== undefined && { model: when.model }),
        ...(when.client !== undefined && { client: when.client }),
        ...(matcher !== undefined && { prompt: matcher }),
      },
    };
  });
}
