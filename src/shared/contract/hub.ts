import { z } from 'zod';
import { route } from './route';

/** `owner/name`, as Hugging Face spells a repo. Dots, dashes and underscores allowed; no `..`. */
export const hubRepoIdSchema = z
  .string()
  .max(200)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*\/[A-Za-z0-9][A-Za-z0-9._-]*$/, 'expected a Hugging Face repo id like "Qwen/Qwen2.5-0.5B-Instruct-GGUF"')
  .refine((id) => !id.includes('..'), 'a repo id cannot contain ".."');

/** A file's path inside its repo, as the hub lists it (`sub/dir/x.gguf`). Never used as a local path unchecked. */
export const hubFilePathSchema = z.string().min(1).max(500);

/**
 * How a model would run on this machine: every layer on the GPU, some of them, or the CPU alone;
 * `too-big` when even the CPU has too little memory. `basis` says how it was worked out: from the
 * file size against free memory (a search result, before any header is read), or by
 * node-llama-cpp's GgufInsights from the GGUF header (in the engine process).
 */
export const modelFitSchema = z.object({
  mode: z.enum(['full-gpu', 'partial', 'cpu', 'too-big']),
  basis: z.enum(['file-size', 'gguf-insights']),
  /** Layers offloaded to the GPU, of `totalLayers`; null when unknown (a size-based estimate). */
  gpuLayers: z.number().int().nonnegative().nullable(),
  totalLayers: z.number().int().nonnegative().nullable(),
  /** The largest context the memory left allows (capped at the trained context); null when unknown. */
  contextSize: z.number().int().positive().nullable(),
  /** Estimated memory in use once loaded with that context. */
  ramBytes: z.number().nonnegative(),
  vramBytes: z.number().nonnegative(),
  /** The engine backend the estimate is for. */
  backend: z.enum(['cpu', 'cuda', 'vulkan', 'metal']),
});
export type ModelFit = z.infer<typeof modelFitSchema>;

/** One GGUF file of a repo. A split model (`-00001-of-00003.gguf`) lists each part. */
export const hubFileSchema = z.object({
  /** The path inside the repo: what `downloads.start` takes as `file`. */
  path: hubFilePathSchema,
  sizeBytes: z.number().int().nonnegative(),
  /** From the file name (`Q4_K_M`, `Q8_0`, `F16`…); null when the name does not say. */
  quantization: z.string().nullable(),
  /** The LFS sha256 the download is verified against; null when the hub gives none. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/).nullable(),
  fit: modelFitSchema.nullable(),
});
export type HubFile = z.infer<typeof hubFileSchema>;

export const hubRepoSchema = z.object({
  /** `owner/name`. */
  id: hubRepoIdSchema,
  downloads: z.number().int().nonnegative().nullable(),
  likes: z.number().int().nonnegative().nullable(),
  /** ISO timestamp of the last change, when the hub gives it. */
  updatedAt: z.string().nullable(),
  /** Its GGUF files, smallest first. Empty when the repo holds none (such repos are left out of a search). */
  files: z.array(hubFileSchema),
});
export type HubRepo = z.infer<typeof hubRepoSchema>;

/** What a GGUF header read over HTTP Range says, before any download. */
export const hubInspectionSchema = z.object({
  repo: hubRepoIdSchema,
  file: hubFilePathSchema,
  sizeBytes: z.number().int().nonnegative().nullable(),
  sha256: z.string().nullable(),
  /** False when the hub answered without Range support: nothing could be read without downloading it all. */
  rangeSupported: z.boolean(),
  architecture: z.string().nullable(),
  parameterCount: z.number().nullable(),
  quantization: z.string().nullable(),
  contextLength: z.number().int().nullable(),
  hasChatTemplate: z.boolean().nullable(),
  /** From GgufInsights in the engine process; null (with `fitError`) when that failed. */
  fit: modelFitSchema.nullable(),
  fitError: z.string().nullable(),
});
export type HubInspection = z.infer<typeof hubInspectionSchema>;

export const hubSortSchema = z.enum(['downloads', 'likes', 'updated']);

export const hubContract = {
  /**
   * Repos on the hub (`hub.url` in switchboard.yaml, else `HF_ENDPOINT`, else huggingface.co)
   * that hold GGUF files, each with its files, sizes, quantization and a size-based fit badge.
   * An unreachable hub is `UNAVAILABLE` naming the URL.
   */
  'hub.search': route({
    input: z
      .object({
        query: z.string().max(200).default(''),
        limit: z.number().int().min(1).max(50).default(20),
        sort: hubSortSchema.default('downloads'),
        /** Only files whose quantization is one of these (`Q4_K_M`), case-insensitive. */
        quantizations: z.array(z.string().min(1).max(20)).max(20).optional(),
        /** Only files at most this large. */
        maxSizeBytes: z.number().int().positive().optional(),
      })
      .default({ query: '', limit: 20, sort: 'downloads' }),
    output: z.object({ hubUrl: z.string(), repos: z.array(hubRepoSchema) }),
  }),
  /** One repo's GGUF files (for a repo page, or a repo id pasted by the user). `NOT_FOUND` when it does not exist. */
  'hub.repo': route({
    input: z.object({ repo: hubRepoIdSchema }),
    output: hubRepoSchema,
  }),
  /** Reads one file's GGUF header remotely (HTTP Range) and estimates its fit with GgufInsights. */
  'hub.inspect': route({
    input: z.object({ repo: hubRepoIdSchema, file: hubFilePathSchema }),
    output: hubInspectionSchema,
  }),
} as const;
