import { z } from 'zod';
import { localModelEntrySchema } from '../domain';
import { hubFilePathSchema, hubRepoIdSchema, modelFitSchema } from './hub';
import { route } from './route';

/** Where a download comes from: a file of a Hugging Face repo, or a model Ollama pulls itself. */
export const downloadSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('hub'), repo: hubRepoIdSchema, file: hubFilePathSchema }),
  /** `provider` names a configured provider of type `ollama`; default: the first one, else 127.0.0.1:11434. */
  z.object({ kind: z.literal('ollama'), model: z.string().min(1).max(200), provider: z.string().min(1).max(100).optional() }),
]);
export type DownloadSource = z.infer<typeof downloadSourceSchema>;

/**
 * queued → running → verifying → completed; running ↔ paused; any unfinished state → cancelled;
 * a failure after the automatic retries → failed (then `downloads.retry` queues it again).
 * `stalled`: an attempt failed in a way worth retrying (no bytes for the stall timeout, a cut
 * connection, a 5xx) and the job waits for its next automatic retry, with backoff; `error` says why.
 */
export const downloadStateSchema = z.enum(['queued', 'running', 'stalled', 'paused', 'verifying', 'completed', 'failed', 'cancelled']);
export type DownloadState = z.infer<typeof downloadStateSchema>;

export const downloadErrorSchema = z.object({
  /**
   * `disk_full` (not enough free space, checked before start), `checksum` (sha256 differs from the
   * hub's; the file was deleted), `not_found`, `http` (another status), `network` (reset, refused,
   * stalled past the retries), `unsafe_path` (a file name that would leave the models folder),
   * `exists` (a different file already has that name), `ollama` (the pull failed), `internal`.
   */
  code: z.enum(['disk_full', 'checksum', 'not_found', 'http', 'network', 'unsafe_path', 'exists', 'ollama', 'internal']),
  message: z.string(),
});
export type DownloadError = z.infer<typeof downloadErrorSchema>;

export const downloadJobSchema = z.object({
  id: z.string(),
  source: downloadSourceSchema,
  /** What to call it in a list: the file name, or the Ollama model. */
  title: z.string(),
  state: downloadStateSchema,
  /** Bytes on disk so far (for a hub file, the `.part` file's length). */
  bytes: z.number().int().nonnegative(),
  /** Null until the server said. */
  total: z.number().int().nonnegative().nullable(),
  /** Bytes per second over the last few seconds; null when not running. */
  speedBps: z.number().nonnegative().nullable(),
  /** Seconds left at that speed; null when unknown. */
  etaSeconds: z.number().nonnegative().nullable(),
  /** Where the finished file lands (hub downloads); null for Ollama pulls. */
  destPath: z.string().nullable(),
  /** The sha256 the file is verified against (the hub's LFS oid); null when none is known. */
  sha256: z.string().nullable(),
  /** Tries so far, automatic retries included. */
  attempts: z.number().int().nonnegative(),
  /** Set while `stalled` (the next automatic retry) and when `failed`. */
  error: downloadErrorSchema.nullable(),
  /** Epoch ms. */
  createdAt: z.number(),
  updatedAt: z.number(),
  completedAt: z.number().nullable(),
});
export type DownloadJob = z.infer<typeof downloadJobSchema>;

/** The payload of the `downloads.progress` host event: the job as it is now (upsert it by id). */
export const downloadProgressEventSchema = downloadJobSchema;
export type DownloadProgressEvent = DownloadJob;

/** The one-click starter model for onboarding. */
export const starterModelSchema = z.object({
  repo: hubRepoIdSchema,
  file: hubFilePathSchema,
  title: z.string(),
  /** Roughly, for the button ("about 490 MB"); the hub's figure is used once the download starts. */
  approxSizeBytes: z.number().int().positive(),
});
export type StarterModel = z.infer<typeof starterModelSchema>;

const jobId = z.object({ id: z.string().min(1).max(64) });

export const downloadsContract = {
  /** Every job, newest first. Finished ones stay until dismissed. */
  'downloads.list': route({
    input: z.object({}).default({}),
    output: z.array(downloadJobSchema),
  }),
  /**
   * Queues a download and answers at once with the job (`queued`, or `running` when a slot is
   * free). The same source already queued or running answers that job instead of a second one.
   * Refused up front: a hub file that would land outside the models folder (`VALIDATION_FAILED`),
   * a file the disk cannot hold (`UNAVAILABLE`, with the free and needed bytes), a file already in
   * the library (`CONFLICT`).
   */
  'downloads.start': route({
    input: downloadSourceSchema,
    output: downloadJobSchema,
  }),
  /** Stops a running or queued job, keeping its partial bytes. */
  'downloads.pause': route({ input: jobId, output: downloadJobSchema }),
  /** Queues a paused job again; it continues from its partial bytes (HTTP Range). */
  'downloads.resume': route({ input: jobId, output: downloadJobSchema }),
  /** Stops a job and deletes its partial file. A finished job cannot be cancelled (`CONFLICT`). */
  'downloads.cancel': route({ input: jobId, output: downloadJobSchema }),
  /** Queues a failed or cancelled job again (a failed one keeps its partial bytes unless the checksum failed). */
  'downloads.retry': route({ input: jobId, output: downloadJobSchema }),
  /** Removes a finished, failed or cancelled job from the list (a completed model file stays; a failed job's partial file is deleted). */
  'downloads.dismiss': route({ input: jobId, output: z.object({ dismissed: z.boolean() }) }),
  /**
   * The onboarding model: with `start` (the default), queues it like `downloads.start` unless it
   * is already in the library (`presentAt`) or already downloading (that job).
   */
  'downloads.starter': route({
    input: z.object({ start: z.boolean().default(true) }).default({ start: true }),
    output: z.object({ starter: starterModelSchema, job: downloadJobSchema.nullable(), presentAt: z.string().nullable() }),
  }),
} as const;

/** Managing local model files: delete, import a dropped file, fit on this machine. */
export const modelFilesContract = {
  /**
   * Deletes a local model file (`local/<name>`): unloaded from the engine first. Only files inside
   * a models folder are deleted; `NOT_FOUND` for an unknown id.
   */
  'models.delete': route({
    input: z.object({ id: z.string().min(1).max(300) }),
    output: z.object({ deleted: z.string() }),
  }),
  /**
   * Copies a `.gguf` file (dropped onto the window: its absolute path) into the data dir's models
   * folder, through a temp file and an atomic rename; a file already inside a models folder is left
   * where it is. A file that is not GGUF is refused (`VALIDATION_FAILED`), as is one whose name is
   * taken by a different file (`CONFLICT`). Answers the library entry.
   */
  'models.import': route({
    input: z.object({ path: z.string().min(1).max(4096) }),
    output: localModelEntrySchema,
  }),
  /** How a local model would run here (GgufInsights in the engine process). */
  'models.fit': route({
    input: z.object({ id: z.string().min(1).max(300) }),
    output: modelFitSchema,
  }),
} as const;
