import { z } from 'zod';

export const providerErrorKindSchema = z.enum([
  'auth',
  'rate_limit',
  'not_found',
  'context_length',
  'content_filter',
  'timeout',
  'connection',
  'bad_request',
  'server',
  'aborted',
  'budget',
  'engine_crashed',
]);

export type ProviderErrorKind = z.infer<typeof providerErrorKindSchema>;

/** The serializable form of a ProviderError: what crosses IPC, WebSocket and the store. */
export const providerErrorDataSchema = z.object({
  kind: providerErrorKindSchema,
  message: z.string(),
  status: z.number().int().optional(),
  retryable: z.boolean(),
  retryAfterMs: z.number().nonnegative().optional(),
  provider: z.string().optional(),
});

export type ProviderErrorData = z.infer<typeof providerErrorDataSchema>;

const RETRYABLE_BY_DEFAULT: ReadonlySet<ProviderErrorKind> = new Set([
  'rate_limit',
  'timeout',
  'connection',
  'server',
  'engine_crashed',
]);

export interface ProviderErrorInit {
  kind: ProviderErrorKind;
  message: string;
  status?: number;
  retryable?: boolean;
  retryAfterMs?: number;
  provider?: string;
  cause?: unknown;
}

/**
 * The one error type every provider adapter and the engine raise.
 * Messages must never contain API keys or whole request bodies.
 */
export class ProviderError extends Error {
  override readonly name = 'ProviderError';
  readonly kind: ProviderErrorKind;
  readonly status: number | undefined;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly provider: string | undefined;

  constructor(init: ProviderErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = init.kind;
    this.status = init.status;
    this.retryable = init.retryable ?? RETRYABLE_BY_DEFAULT.has(init.kind);
    this.retryAfterMs = init.retryAfterMs;
    this.provider = init.provider;
  }

  static isInstance(value: unknown): value is ProviderError {
    return value instanceof ProviderError;
  }

  static fromData(data: ProviderErrorData): ProviderError {
    return new ProviderError(data);
  }

  /** Wraps anything thrown into a ProviderError, keeping one that already is. */
  static from(value: unknown, fallback: Omit<ProviderErrorInit, 'message' | 'cause'> & { message?: string }): ProviderError {
    if (value instanceof ProviderError) return value;
    const message = fallback.message ?? (value instanceof Error ? value.message : String(value));
    return new ProviderError({ ...fallback, message, cause: value });
  }

  toData(): ProviderErrorData {
    const data: ProviderErrorData = { kind: this.kind, message: this.message, retryable: this.retryable };
    if (this.status !== undefined) data.status = this.status;
    if (this.retryAfterMs !== undefined) data.retryAfterMs = this.retryAfterMs;
    if (this.provider !== undefined) data.provider = this.provider;
    return data;
  }
}
