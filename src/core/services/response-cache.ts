import { createHash } from 'node:crypto';
import { z } from 'zod';
import { type CallOptions, type StreamPart, streamPartSchema } from '../../shared/llm';
import { type ResponseCacheRepository } from '../store';
import { type Log } from './log';

/** The `cache:` section of switchboard.yaml (validated). */
export interface ResponseCacheSettings {
  enabled?: boolean | undefined;
  ttlSeconds?: number | undefined;
  groups?: string[] | undefined;
  sampled?: boolean | undefined;
  maxEntries?: number | undefined;
}

export const DEFAULT_CACHE_TTL_SECONDS = 3_600;
export const DEFAULT_CACHE_MAX_ENTRIES = 10_000;

/** Who produced a cached reply. */
export interface CacheOrigin {
  provider: string;
  model: string;
  deployment: string | null;
}

export interface CacheHit extends CacheOrigin {
  parts: StreamPart[];
}

export interface ResponseCache {
  /** The cache key of a request to `group`, or undefined when the request is not to be cached. */
  keyFor(group: string, options: CallOptions): string | undefined;
  /** A stored reply that has not expired. */
  get(key: string): CacheHit | undefined;
  /** Stores a complete, successful reply. */
  put(key: string, group: string, parts: readonly StreamPart[], origin: CacheOrigin): void;
}

export interface ResponseCacheDeps {
  repository: ResponseCacheRepository;
  settings: () => ResponseCacheSettings;
  clock: () => number;
  log: Log;
}

const storedParts = z.array(streamPartSchema);

/**
 * What makes two requests the same for the cache: everything that changes the reply (messages,
 * system prompt, sampling and output options, tools, response format, provider options) and
 * nothing that does not (headers, the abort signal). Keys sorted, so property order does not matter.
 */
export function normalizedRequest(group: string, options: CallOptions): string {
  const { messages, system, maxOutputTokens, temperature, topP, topK, stop, seed, tools, toolChoice, responseFormat, reasoning, providerOptions } = options;
  return stableJson({ group, messages, system, maxOutputTokens, temperature, topP, topK, stop, seed, tools, toolChoice, responseFormat, reasoning, providerOptions });
}

function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/**
 * The router's exact-match response cache, per group, in SQLite, with a TTL. Off unless
 * `cache.enabled`. Only temperature-0 requests are cached unless `cache.sampled` says otherwise
 * (a request without a temperature samples at the provider's default, so it counts as sampled).
 */
export function createResponseCache(deps: ResponseCacheDeps): ResponseCache {
  const { repository, clock, log } = deps;
  return {
    keyFor(group, options) {
      const settings = deps.settings();
      if (settings.enabled !== true) return undefined;
      if (settings.groups !== undefined && !settings.groups.includes(group)) return undefined;
      if (settings.sampled !== true && options.temperature !== 0) return undefined;
      return createHash('sha256').update(normalizedRequest(group, options)).digest('hex');
    },
    get(key) {
      try {
        const entry = repository.get(key, clock());
        if (entry === undefined) return undefined;
        const parts = storedParts.safeParse(JSON.parse(entry.partsJson));
        // A row this build cannot read is a miss, not a failure: the request goes to the model.
        if (!parts.success) return undefined;
        return { parts: parts.data, provider: entry.provider, model: entry.model, deployment: entry.deployment };
      } catch (error) {
        log('warn', `response cache: could not read an entry: ${error instanceof Error ? error.message : String(error)}`);
        return undefined;
      }
    },
    put(key, group, parts, origin) {
      const settings = deps.settings();
      const now = clock();
      try {
        repository.put(
          {
            key, group, partsJson: JSON.stringify(parts), ...origin, createdAt: now,
            expiresAt: now + (settings.ttlSeconds ?? DEFAULT_CACHE_TTL_SECONDS) * 1000,
          },
          now,
          settings.maxEntries ?? DEFAULT_CACHE_MAX_ENTRIES,
        );
      } catch (error) {
        log('warn', `response cache: could not store a reply: ${error instanceof Error ? error.message : String(error)}`);
      }
    },
  };
}

/**
 * Collects a reply's parts while it streams, and stores it when it ended complete: a finish that
 * is not an error or an abort, no error part, not aborted by the caller.
 */
export class CacheWriter {
  private readonly parts: StreamPart[] = [];
  private failed = false;
  origin: CacheOrigin | undefined;

  constructor(
    private readonly cache: ResponseCache,
    private readonly key: string,
    private readonly group: string,
    private readonly signal: AbortSignal | undefined,
  ) {}

  observe(part: StreamPart): void {
    if (this.failed) return;
    if (part.type === 'error') {
      this.failed = true;
      return;
    }
    // `raw` is the provider's own payload: not part of the reply.
    this.parts.push(part.type === 'finish' ? { ...part, usage: { inputTokens: part.usage.inputTokens, outputTokens: part.usage.outputTokens } } : part);
    if (part.type !== 'finish') return;
    const reason = part.finishReason.unified;
    if (reason === 'error' || reason === 'aborted' || this.signal?.aborted === true || this.origin === undefined) return;
    this.cache.put(this.key, this.group, this.parts, this.origin);
  }
}
