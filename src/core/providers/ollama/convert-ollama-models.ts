import { z } from 'zod';
import type { ModelCapabilities } from '../../../shared/llm';

/** What `/api/tags`, `/api/ps` and `/api/show` say about a model, checked with zod and renamed. */

const detailsSchema = z
  .looseObject({
    format: z.string().optional(),
    family: z.string().optional(),
    families: z.array(z.string()).nullable().optional(),
    parameter_size: z.string().optional(),
    quantization_level: z.string().optional(),
  })
  .optional();

const modelEntrySchema = z.looseObject({
  name: z.string(),
  model: z.string().optional(),
  size: z.number().nonnegative().optional(),
  digest: z.string().optional(),
  modified_at: z.string().optional(),
  details: detailsSchema,
  expires_at: z.string().optional(),
  size_vram: z.number().nonnegative().optional(),
  context_length: z.number().int().positive().optional(),
});

export const listResponseSchema = z.looseObject({ models: z.array(modelEntrySchema).nullable() });

export const showResponseSchema = z.looseObject({
  license: z.string().optional(),
  modelfile: z.string().optional(),
  parameters: z.string().optional(),
  template: z.string().optional(),
  system: z.string().optional(),
  details: detailsSchema,
  model_info: z.record(z.string(), z.unknown()).optional(),
  capabilities: z.array(z.string()).optional(),
  modified_at: z.string().optional(),
});

export interface OllamaModelDetails {
  format?: string;
  family?: string;
  families?: string[];
  parameterSize?: string;
  quantizationLevel?: string;
}

/** An installed model (`list()`). */
export interface OllamaModelSummary {
  name: string;
  sizeBytes: number | undefined;
  digest: string | undefined;
  modifiedAt: string | undefined;
  details: OllamaModelDetails;
}

/** A model loaded in memory (`ps()`). */
export interface OllamaRunningModel extends OllamaModelSummary {
  sizeVramBytes: number | undefined;
  /** When Ollama unloads it, unless used again. */
  expiresAt: string | undefined;
  /** The context it was loaded with (newer Ollama only). */
  contextLength: number | undefined;
}

/** One model in detail (`show()`). */
export interface OllamaModelInfo {
  name: string;
  details: OllamaModelDetails;
  /** Ollama's words: `completion`, `tools`, `vision`, `thinking`, `embedding`, `insert`. */
  capabilities: string[];
  /** In the spec's terms, for the catalog and the router's filters. */
  modelCapabilities: ModelCapabilities;
  architecture: string | undefined;
  /** The model's trained context window (`<arch>.context_length`). */
  contextLength: number | undefined;
  parameterCount: number | undefined;
  parameters: string | undefined;
  template: string | undefined;
  license: string | undefined;
  /** The whole `model_info` map, for anything not lifted out above. */
  modelInfo: Record<string, unknown>;
}

type Details = z.infer<typeof detailsSchema>;
type Entry = z.infer<typeof modelEntrySchema>;

function convertDetails(details: Details): OllamaModelDetails {
  const out: OllamaModelDetails = {};
  if (details?.format) out.format = details.format;
  if (details?.family) out.family = details.family;
  if (details?.families) out.families = details.families;
  if (details?.parameter_size) out.parameterSize = details.parameter_size;
  if (details?.quantization_level) out.quantizationLevel = details.quantization_level;
  return out;
}

function convertEntry(entry: Entry): OllamaModelSummary {
  return {
    name: entry.name,
    sizeBytes: entry.size,
    digest: entry.digest,
    modifiedAt: entry.modified_at,
    details: convertDetails(entry.details),
  };
}

export function convertOllamaList(response: z.infer<typeof listResponseSchema>): OllamaModelSummary[] {
  return (response.models ?? []).map(convertEntry);
}

export function convertOllamaPs(response: z.infer<typeof listResponseSchema>): OllamaRunningModel[] {
  return (response.models ?? []).map((entry) => ({
    ...convertEntry(entry),
    sizeVramBytes: entry.size_vram,
    expiresAt: entry.expires_at,
    contextLength: entry.context_length,
  }));
}

export function convertOllamaShow(name: string, response: z.infer<typeof showResponseSchema>): OllamaModelInfo {
  const modelInfo = response.model_info ?? {};
  const architecture = typeof modelInfo['general.architecture'] === 'string' ? modelInfo['general.architecture'] : undefined;
  const numberAt = (key: string): number | undefined => {
    const value = modelInfo[key];
    return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
  };
  const capabilities = response.capabilities ?? [];
  const contextLength = architecture === undefined ? undefined : numberAt(`${architecture}.context_length`);
  const modelCapabilities: ModelCapabilities = {
    vision: capabilities.includes('vision'),
    tools: capabilities.includes('tools'),
    reasoning: capabilities.includes('thinking'),
    // Ollama constrains any completion model's output to JSON (`format`).
    json: capabilities.includes('completion'),
    ...(contextLength === undefined ? {} : { contextWindow: contextLength }),
  };
  return {
    name,
    details: convertDetails(response.details),
    capabilities,
    modelCapabilities,
    architecture,
    contextLength,
    parameterCount: numberAt('general.parameter_count'),
    parameters: response.parameters,
    template: response.template,
    license: response.license,
    modelInfo,
  };
}

/** One progress event of a pull, as `pull()` reports it. */
export interface OllamaPullProgress {
  /** Ollama's words: `pulling manifest`, `downloading <digest>` / `pulling <digest>`, `verifying sha256 digest`, `writing manifest`, `success`. */
  status: string;
  digest?: string;
  /** Bytes of the current layer. */
  completed?: number;
  total?: number;
}

export const pullProgressSchema = z.looseObject({
  status: z.string(),
  digest: z.string().optional(),
  total: z.number().nonnegative().optional(),
  completed: z.number().nonnegative().optional(),
});

export function convertPullProgress(event: z.infer<typeof pullProgressSchema>): OllamaPullProgress {
  const out: OllamaPullProgress = { status: event.status };
  if (event.digest !== undefined && event.digest !== '') out.digest = event.digest;
  if (event.completed !== undefined) out.completed = event.completed;
  if (event.total !== undefined) out.total = event.total;
  return out;
}
