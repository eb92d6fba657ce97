import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import { ndjsonLine, startWireServer, type WireHandlerContext, type WireProtocol } from './harness';
import type { Scenario, WireServer } from './scenario';

/**
 * Ollama's HTTP API (https://github.com/ollama/ollama/blob/main/docs/api.md) as a wire protocol:
 * `POST /api/chat` (NDJSON stream or one JSON object), `GET /api/tags`, `POST /api/show`,
 * `GET /api/ps`, `POST /api/pull` (NDJSON progress), `DELETE /api/delete`, `POST /api/embed`,
 * `GET /api/version` and `GET /`. Errors are Ollama's `{ "error": "..." }` with a status.
 *
 * Chat answers follow the queued `Scenario`. The model library (tags, show, ps, pull, delete) is
 * state kept by the server, so a pull adds a model and a delete removes it. Scenario faults apply
 * to every endpoint: the next request, whichever it is, gets the next scenario.
 */

export interface OllamaWireModel {
  name: string;
  /** Bytes on disk. */
  size: number;
  family: string;
  parameterSize: string;
  quantizationLevel: string;
  contextLength: number;
  /** What `/api/show` reports: `completion`, `tools`, `vision`, `thinking`, `embedding`. */
  capabilities: string[];
}

export interface OllamaWireOptions {
  /** Installed models (`/api/tags`). Defaults to a chat model and an embedding model. */
  models?: OllamaWireModel[];
  /** Models `/api/pull` can fetch, with their layer sizes in bytes. Anything else fails as Ollama does. */
  registry?: Record<string, { model: OllamaWireModel; layers: number[] }>;
  /** Progress events per layer during a pull (at least 1). */
  pullSteps?: number;
  /** A pause before each download progress event of a pull, so a test can cancel one midway. */
  pullStepDelayMs?: number;
  /** Length of the vectors `/api/embed` returns. */
  embeddingDimensions?: number;
}

export interface OllamaWire extends WireServer {
  /** `http://127.0.0.1:PORT`, the same as baseURL: Ollama's client takes the origin. */
  readonly origin: string;
  /** Installed models, as the server sees them now. */
  readonly models: OllamaWireModel[];
  /** Names of models loaded in memory (`/api/ps`); a chat or embed loads its model. */
  readonly running: string[];
}

export const OLLAMA_WIRE_VERSION = '0.12.6';

export const defaultOllamaWireModels = (): OllamaWireModel[] => [
  {
    name: 'llama3.2:latest',
    size: 2_019_393_189,
    family: 'llama',
    parameterSize: '3.2B',
    quantizationLevel: 'Q4_K_M',
    contextLength: 131_072,
    capabilities: ['completion', 'tools'],
  },
  {
    name: 'nomic-embed-text:latest',
    size: 274_302_450,
    family: 'nomic-bert',
    parameterSize: '137M',
    quantizationLevel: 'F16',
    contextLength: 2048,
    capabilities: ['embedding'],
  },
];

export const defaultOllamaWireRegistry = (): NonNullable<OllamaWireOptions['registry']> => ({
  'qwen2.5:0.5b': {
    model: {
      name: 'qwen2.5:0.5b',
      size: 397_821_319,
      family: 'qwen2',
      parameterSize: '494.03M',
      quantizationLevel: 'Q4_K_M',
      contextLength: 32_768,
      capabilities: ['completion', 'tools'],
    },
    layers: [397_807_936, 6_975, 11_343],
  },
});

const chatRequestSchema = z.looseObject({
  model: z.string(),
  stream: z.boolean().optional(),
  messages: z.array(z.unknown()).optional(),
});
const nameRequestSchema = z.looseObject({ model: z.string().optional(), name: z.string().optional() });
const embedRequestSchema = z.looseObject({ model: z.string(), input: z.union([z.string(), z.array(z.string())]) });

const MODIFIED_AT = '2025-10-01T12:00:00.000000000Z';

export function ollamaProtocol(options: OllamaWireOptions = {}): WireProtocol & {
  models: OllamaWireModel[];
  running: string[];
} {
  const models = options.models ?? defaultOllamaWireModels();
  const registry = options.registry ?? defaultOllamaWireRegistry();
  const running: string[] = [];
  const pullSteps = Math.max(1, options.pullSteps ?? 3);
  const dimensions = options.embeddingDimensions ?? 8;
  const load = (name: string) => {
    if (!running.includes(name)) running.push(name);
  };
  const find = (name: string) => models.find((m) => m.name === name || m.name === `${name}:latest`);

  return {
    models,
    running,
    streamContentType: 'application/x-ndjson',
    // A line cut off in the middle of its JSON.
    malformedEvent: '{"model":"broken","created_at":"2025-10-01T12:00:00Z","message":{"role":"assist\n',
    errorBody: (_status, message) => ({ error: message }),
    async handle(ctx) {
      const { req, res } = ctx;
      const path = (req.url ?? '/').split('?')[0];
      const route = `${req.method ?? 'GET'} ${path}`;
      switch (route) {
        case 'GET /':
        case 'HEAD /':
          res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
          res.end('Ollama is running');
          return;
        case 'GET /api/version':
          return json(res, 200, { version: OLLAMA_WIRE_VERSION });
        case 'POST /api/chat': {
          const parsed = chatRequestSchema.safeParse(ctx.body);
          if (!parsed.success) return json(res, 400, { error: 'invalid chat request' });
          load(parsed.data.model);
          // Ollama streams unless told `stream: false`.
          if (parsed.data.stream === false) return json(res, 200, chatWhole(parsed.data.model, ctx.scenario));
          return chatStream(ctx, parsed.data.model);
        }
        case 'GET /api/tags':
          return json(res, 200, { models: models.map(tagEntry) });
        case 'GET /api/ps':
          return json(res, 200, {
            models: running.flatMap((name) => {
              const m = find(name);
              return m ? [{ ...tagEntry(m), expires_at: '2099-01-01T00:00:00Z', size_vram: m.size, context_length: Math.min(m.contextLength, 4096) }] : [];
            }),
          });
        case 'POST /api/show': {
          const name = requestedName(ctx.body);
          const m = name === undefined ? undefined : find(name);
          if (!m) return json(res, 404, { error: `model '${name ?? ''}' not found` });
          return json(res, 200, showEntry(m));
        }
        case 'DELETE /api/delete': {
          const name = requestedName(ctx.body);
          const m = name === undefined ? undefined : find(name);
          if (!m) return json(res, 404, { error: `model '${name ?? ''}' not found` });
          models.splice(models.indexOf(m), 1);
          const at = running.indexOf(m.name);
          if (at >= 0) running.splice(at, 1);
          res.writeHead(200);
          res.end();
          return;
        }
        case 'POST /api/pull':
          return pull(ctx, requestedName(ctx.body), registry, models, pullSteps, options.pullStepDelayMs ?? 0);
        case 'POST /api/embed': {
          const parsed = embedRequestSchema.safeParse(ctx.body);
          if (!parsed.success) return json(res, 400, { error: 'invalid embed request' });
          const inputs = typeof parsed.data.input === 'string' ? [parsed.data.input] : parsed.data.input;
          load(parsed.data.model);
          return json(res, 200, {
            model: parsed.data.model,
            embeddings: inputs.map((text) => embedding(text, dimensions)),
            total_duration: 14_143_917,
            load_duration: 1_019_500,
            prompt_eval_count: inputs.reduce((n, text) => n + Math.max(1, Math.ceil(text.length / 4)), 0),
          });
        }
        default:
          res.writeHead(404, { 'content-type': 'text/plain' });
          res.end('404 page not found');
      }
    },
  };
}

/** Starts an Ollama wire server on 127.0.0.1. Point `new Ollama({ host: wire.baseURL })` at it. */
export async function startOllamaWire(options: OllamaWireOptions = {}): Promise<OllamaWire> {
  const protocol = ollamaProtocol(options);
  const server = await startWireServer(protocol);
  return {
    baseURL: server.origin,
    origin: server.origin,
    requests: server.requests,
    enqueue: server.enqueue,
    close: server.close,
    models: protocol.models,
    running: protocol.running,
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function requestedName(body: unknown): string | undefined {
  const parsed = nameRequestSchema.safeParse(body);
  return parsed.success ? (parsed.data.model ?? parsed.data.name) : undefined;
}

function tagEntry(m: OllamaWireModel) {
  return {
    name: m.name,
    model: m.name,
    modified_at: MODIFIED_AT,
    size: m.size,
    digest: digestOf(m.name),
    details: {
      parent_model: '',
      format: 'gguf',
      family: m.family,
      families: [m.family],
      parameter_size: m.parameterSize,
      quantization_level: m.quantizationLevel,
    },
  };
}

function showEntry(m: OllamaWireModel) {
  return {
    license: 'LICENSE TEXT',
    modelfile: `# Modelfile generated by "ollama show"\nFROM ${m.name}\n`,
    parameters: 'stop                           "<|eot_id|>"',
    template: '{{ .Prompt }}',
    details: tagEntry(m).details,
    model_info: {
      'general.architecture': m.family,
      'general.parameter_count': 3_212_749_888,
      [`${m.family}.context_length`]: m.contextLength,
      [`${m.family}.embedding_length`]: 3072,
    },
    capabilities: m.capabilities,
    modified_at: MODIFIED_AT,
  };
}

function digestOf(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A deterministic unit vector per text, so tests can compare embeddings. */
function embedding(text: string, dimensions: number): number[] {
  const bytes = createHash('sha256').update(text).digest();
  const raw = Array.from({ length: dimensions }, (_, i) => (bytes[i % bytes.length] ?? 0) / 255 - 0.5);
  const norm = Math.hypot(...raw) || 1;
  return raw.map((x) => Math.round((x / norm) * 1e6) / 1e6);
}

function doneReason(scenario: Scenario): string {
  // Ollama says `stop` or `length`; a tool call ends with `stop`.
  if (scenario.finish === 'length') return 'length';
  // Ollama never filters content, so a scripted filter ends as Ollama would end it.
  return 'stop';
}

function doneFields(scenario: Scenario) {
  const usage = scenario.usage ?? {};
  const fields: Record<string, unknown> = {
    done: true,
    done_reason: doneReason(scenario),
    total_duration: 4_883_583_458,
    load_duration: 1_334_875,
  };
  if (usage.input !== undefined) {
    fields.prompt_eval_count = usage.input;
    fields.prompt_eval_duration = 342_546_000;
  }
  if (usage.output !== undefined) {
    fields.eval_count = usage.output;
    fields.eval_duration = 4_535_599_000;
  }
  return fields;
}

function toolCalls(scenario: Scenario) {
  return (scenario.toolCalls ?? []).map((call, index) => ({
    function: { index, name: call.name, arguments: parseArguments(call.arguments) },
  }));
}

function parseArguments(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}

function chatWhole(model: string, scenario: Scenario) {
  const message: Record<string, unknown> = { role: 'assistant', content: (scenario.text ?? []).join('') };
  if (scenario.reasoning?.length) message.thinking = scenario.reasoning.join('');
  const calls = toolCalls(scenario);
  if (calls.length > 0) message.tool_calls = calls;
  return { model, created_at: new Date().toISOString(), message, ...doneFields(scenario) };
}

async function chatStream(ctx: WireHandlerContext, model: string): Promise<void> {
  const { res, scenario } = ctx;
  res.writeHead(200, { 'content-type': 'application/x-ndjson' });
  const chunk = (message: Record<string, unknown>) =>
    ndjsonLine({ model, created_at: new Date().toISOString(), message: { role: 'assistant', content: '', ...message }, done: false });
  for (const thinking of scenario.reasoning ?? []) if (!(await send(ctx, chunk({ thinking })))) return;
  for (const content of scenario.text ?? []) if (!(await send(ctx, chunk({ content })))) return;
  const calls = toolCalls(scenario);
  // Ollama sends whole tool calls, in one message.
  if (calls.length > 0 && !(await send(ctx, chunk({ tool_calls: calls })))) return;
  const last = ndjsonLine({ model, created_at: new Date().toISOString(), message: { role: 'assistant', content: '' }, ...doneFields(scenario) });
  if (!(await send(ctx, last))) return;
  res.end();
}

/**
 * Emits one line, then lets Node uncork the socket: a `cut` destroys the socket right after an
 * emit, and lines still corked in the same tick would be lost with it.
 */
async function send(ctx: WireHandlerContext, line: string): Promise<boolean> {
  const sent = await ctx.emit(line);
  if (sent) await new Promise<void>((resolve) => setImmediate(resolve));
  return sent;
}

async function pull(
  ctx: WireHandlerContext,
  name: string | undefined,
  registry: NonNullable<OllamaWireOptions['registry']>,
  models: OllamaWireModel[],
  steps: number,
  stepDelayMs: number,
): Promise<void> {
  const { res } = ctx;
  res.writeHead(200, { 'content-type': 'application/x-ndjson' });
  if (!(await send(ctx, ndjsonLine({ status: 'pulling manifest' })))) return;
  const entry = name === undefined ? undefined : (registry[name] ?? registry[name.replace(/:latest$/, '')]);
  if (!entry) {
    // Ollama reports a failed pull inside the 200 stream.
    await send(ctx, ndjsonLine({ error: 'pull model manifest: file does not exist' }));
    res.end();
    return;
  }
  for (const [i, total] of entry.layers.entries()) {
    const digest = `sha256:${digestOf(`${entry.model.name}/${i}`)}`;
    for (let step = 1; step <= steps; step += 1) {
      const completed = Math.round((total * step) / steps);
      if (stepDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, stepDelayMs));
      if (!(await send(ctx, ndjsonLine({ status: `downloading ${digest}`, digest, total, completed })))) return;
    }
  }
  for (const status of ['verifying sha256 digest', 'writing manifest', 'success']) {
    if (!(await send(ctx, ndjsonLine({ status })))) return;
  }
  if (!models.some((m) => m.name === entry.model.name)) models.push({ ...entry.model });
  res.end();
}
