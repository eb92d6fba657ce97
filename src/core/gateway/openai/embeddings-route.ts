import { z } from 'zod';
import { sendJson } from '../http-io';
import { type RouteHandler, parseBody } from '../route-context';

/** OpenAI caps one request at 2,048 inputs; so do we. Token-array inputs are not taken (we have no shared tokenizer). */
const embeddingsRequestSchema = z.object({
  model: z.string().min(1, 'model is required'),
  input: z.union([z.string(), z.array(z.string()).min(1, 'input must hold at least one text').max(2048, 'at most 2048 inputs per request')], {
    error: 'input must be a text or a list of texts (token arrays are not supported)',
  }),
  encoding_format: z.enum(['float', 'base64']).optional(),
  dimensions: z.number().int().positive().optional(),
  user: z.string().optional(),
});

/** `POST /v1/embeddings`: float vectors, or base64 of little-endian float32 as OpenAI sends them. */
export const embeddingsRoute: RouteHandler = async (ctx) => {
  const body = parseBody(embeddingsRequestSchema, ctx.body);
  const input = typeof body.input === 'string' ? [body.input] : body.input;
  const result = await ctx.backend.embed({
    model: body.model,
    input,
    client: ctx.client,
    abortSignal: ctx.signal,
    ...(body.dimensions !== undefined && { dimensions: body.dimensions }),
  });
  const tokens = result.inputTokens ?? 0;
  sendJson(
    ctx.res,
    200,
    {
      object: 'list',
      data: result.embeddings.map((vector, index) => ({ object: 'embedding', index, embedding: body.encoding_format === 'base64' ? toBase64(vector) : vector })),
      model: body.model,
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    },
    ctx.headers,
  );
};

function toBase64(vector: number[]): string {
  return Buffer.from(new Float32Array(vector).buffer).toString('base64');
}
