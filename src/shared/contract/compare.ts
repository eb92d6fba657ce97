import { z } from 'zod';
import { attachmentIdSchema, attachmentRefSchema, attemptEventSchema, messageRouteSchema, messageStatusSchema } from '../domain';
import { MAX_ATTACHMENTS_PER_MESSAGE } from '../image-type';
import { providerErrorDataSchema, streamPartSchema, usageSchema } from '../llm';
import { route, streamRoute } from './route';

/** How many models one comparison sends the prompt to. */
export const COMPARE_MIN_MODELS = 2;
export const COMPARE_MAX_MODELS = 4;

const column = z.number().int().nonnegative().max(COMPARE_MAX_MODELS - 1);

/** One column's final state: what its answer holds and how it was served (from its `calls` rows). */
export const compareColumnResultSchema = z.object({
  column,
  model: z.string(),
  requestId: z.string(),
  text: z.string(),
  status: messageStatusSchema,
  error: providerErrorDataSchema.nullable(),
  usage: usageSchema.nullable(),
  latencyMs: z.number().nonnegative().nullable(),
  ttftMs: z.number().nonnegative().nullable(),
  route: messageRouteSchema.nullable(),
});
export type CompareColumnResult = z.infer<typeof compareColumnResultSchema>;

/** A comparison as the core remembers it (recent runs: `compare.recent`). */
export const compareRunSchema = z.object({
  runId: z.string(),
  text: z.string(),
  attachments: z.array(attachmentRefSchema),
  createdAt: z.number(),
  /** True while any column is still streaming. */
  running: z.boolean(),
  columns: z.array(compareColumnResultSchema),
});
export type CompareRun = z.infer<typeof compareRunSchema>;

export const compareEventSchema = z.union([
  /** First chunk: the run and the request id of each column's routed call. */
  z.object({
    type: z.literal('compare-start'),
    runId: z.string(),
    createdAt: z.number(),
    columns: z.array(z.object({ column, model: z.string(), requestId: z.string() })),
  }),
  /** A stream part or an attempt event of one column's routed call, as chat streams them. */
  z.object({ type: z.literal('column'), column, event: z.union([streamPartSchema, attemptEventSchema]) }),
  /** One column ended (finish, error or stop); its result is recorded and its route read back. */
  z.object({ type: z.literal('column-end'), result: compareColumnResultSchema }),
]);
export type CompareEvent = z.infer<typeof compareEventSchema>;

export const compareContract = {
  /**
   * Sends one prompt to 2–4 models at once, each through the router (client `compare`, one `calls`
   * row per attempt). The columns' events are interleaved, each tagged with its column; an error
   * in one column ends that column only. Aborting the stream stops every column.
   */
  'compare.run': streamRoute({
    input: z.object({
      text: z.string().max(200_000),
      models: z
        .array(z.string().min(1))
        .min(COMPARE_MIN_MODELS, `choose at least ${COMPARE_MIN_MODELS} models to compare`)
        .max(COMPARE_MAX_MODELS, `compare at most ${COMPARE_MAX_MODELS} models at once`),
      /** Stored images (`attachments.put`), sent to every column. */
      attachments: z.array(attachmentIdSchema).max(MAX_ATTACHMENTS_PER_MESSAGE).optional(),
      system: z.string().max(50_000).optional(),
      maxOutputTokens: z.number().int().positive().max(1_000_000).optional(),
      temperature: z.number().min(0).max(2).optional(),
    }),
    chunk: compareEventSchema,
  }),
  /** Stops one column of a run in flight, or all of them without `column`. */
  'compare.stop': route({
    input: z.object({ runId: z.string().min(1), column: column.optional() }),
    output: z.object({ stopped: z.number().int().nonnegative() }),
  }),
  /** The most recent comparisons, newest first (stored: the newest 100 are kept). */
  'compare.recent': route({
    input: z.object({ limit: z.number().int().positive().max(50).default(10) }),
    output: z.array(compareRunSchema),
  }),
  /**
   * Deletes one stored comparison (its `calls` rows stay, so usage is never lost; images only it
   * referred to become the attachment sweep's). NOT_FOUND for an unknown run, CONFLICT while it runs.
   */
  'compare.delete': route({
    input: z.object({ runId: z.string().min(1) }),
    output: z.object({ deleted: z.literal(true) }),
  }),
  /** A new conversation holding the run's prompt (and images) and one column's answer. */
  'compare.continue': route({
    input: z.object({ runId: z.string().min(1), column }),
    output: z.object({ conversationId: z.string() }),
  }),
} as const;
