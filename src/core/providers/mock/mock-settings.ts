import { z } from 'zod';
import { providerErrorKindSchema, unifiedFinishReasonSchema } from '../../../shared/llm';

const count = z.number().int().nonnegative();

/** A fault the mock raises, as a ProviderError of this kind. */
export const mockFaultSchema = z.object({
  kind: providerErrorKindSchema,
  message: z.string().optional(),
  /** The HTTP status to report. Default: the usual one for the kind (429 for rate_limit…), none for kinds without one. */
  status: z.number().int().min(100).max(599).optional(),
  /** Raise it after this many text tokens, as an error part then finish. Absent: `stream()` rejects before the stream. */
  afterTokens: count.optional(),
  retryAfterMs: z.number().nonnegative().optional(),
  /** Share of calls that fail, 0..1, drawn from a generator seeded with `seed`. Default 1: every call. */
  rate: z.number().min(0).max(1).optional(),
});

/** Exactly the counts to report; a count left out is reported as unknown. */
export const mockUsageSchema = z.object({
  inputTokens: count.optional(),
  outputTokens: count.optional(),
  cacheReadTokens: count.optional(),
  reasoningTokens: count.optional(),
});

export const mockToolCallSchema = z.object({
  toolName: z.string().min(1),
  /** JSON text, or a value sent as JSON. */
  input: z.unknown(),
  toolCallId: z.string().optional(),
});

/**
 * Settings of the `mock` provider (`providers.<name>: { type: mock, … }` in switchboard.yaml),
 * like LiteLLM's `mock_response`: try routes and the UI with no key and no server.
 */
export const mockSettingsSchema = z.object({
  /** The canned answer. Default: a short sentence saying it is the mock. */
  response: z.string().optional(),
  /** Answer with the last user message instead. */
  echo: z.boolean().optional(),
  /** Reasoning to stream before the answer. */
  reasoning: z.string().optional(),
  /** Tool calls to make after the text. The finish reason becomes `tool-calls`. */
  toolCalls: z.array(mockToolCallSchema).optional(),
  /** Time to first token, in ms. */
  latencyMs: z.number().nonnegative().optional(),
  /** Time between tokens, in ms. */
  tokenDelayMs: z.number().nonnegative().optional(),
  fault: mockFaultSchema.optional(),
  /** Counts to report. Absent: estimated from characters / 4, and marked as estimated in `raw`. */
  usage: mockUsageSchema.optional(),
  /** Overrides the finish reason (`length`, `content-filter`…). */
  finishReason: unifiedFinishReasonSchema.optional(),
  /** Seeds the generator behind `fault.rate`. Default 1. */
  seed: z.number().int().optional(),
});

export type MockFault = z.infer<typeof mockFaultSchema>;
export type MockUsage = z.infer<typeof mockUsageSchema>;
export type MockToolCall = z.infer<typeof mockToolCallSchema>;
export type MockSettings = z.infer<typeof mockSettingsSchema>;

export const DEFAULT_MOCK_RESPONSE = 'This is a mock response from Switchboard. No model was called.';
