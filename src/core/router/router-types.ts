import type { ProviderErrorData, ProviderErrorKind, Usage } from '../../shared/llm';

/** Time in milliseconds, injected so tests run in virtual time. */
export interface Clock {
  now(): number;
}

/** Waits `ms` (virtual in tests). Resolves early, without throwing, when the signal aborts. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** A uniform number in [0, 1); seeded in tests. */
export type Random = () => number;

export type AttemptOutcome = 'success' | 'error' | 'aborted';

/** Which attempt this is, and against what. */
export interface AttemptIdentity {
  requestId: string;
  /** 1-based, counted across retries and fallbacks of one request. */
  attempt: number;
  /** 0 for the group the caller named (or a rule chose), 1 for its fallbacks, and so on. */
  fallbackDepth: number;
  group: string;
  deploymentId: string;
  provider: string;
  model: string;
  startedAt: number;
}

/** What is known when an attempt starts (before its model is called): the `calls` row to begin. */
export type AttemptStart = AttemptIdentity;

/** One attempt against one deployment: what the caller writes as one `calls` row. */
export interface AttemptRecord extends AttemptIdentity {
  outcome: AttemptOutcome;
  errorKind?: ProviderErrorKind;
  error?: ProviderErrorData;
  /** As reported by the finish part; empty (all undefined) when the attempt produced none. */
  usage: Usage;
  /** USD, from the provider's report or the catalog; undefined when unknown. */
  costUsd?: number;
  latencyMs: number;
  /** Time to the first content part (text, reasoning or tool call), when one came. */
  ttftMs?: number;
  /** Whether any content of this attempt reached the caller. */
  streamed: boolean;
}
