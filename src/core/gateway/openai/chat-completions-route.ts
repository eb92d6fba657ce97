import { collectParts } from '../../../shared/llm';
import { fromProviderData } from '../gateway-error';
import { sendJson } from '../http-io';
import { type RouteHandler, parseBody, startCall, warningsHeader } from '../route-context';
import { pipeSse } from '../stream-response';
import { chatCompletionRequestSchema, mapChatCompletionRequest } from './openai-chat-request';
import { createOpenAIChunkEncoder, toChatCompletion } from './openai-chat-response';

/** `POST /v1/chat/completions`, streamed (SSE) or not. */
export const chatCompletionsRoute: RouteHandler = async (ctx) => {
  const request = mapChatCompletionRequest(parseBody(chatCompletionRequestSchema, ctx.body));
  const { requestId, parts } = await startCall(ctx, request);
  const meta = { id: `chatcmpl-${requestId}`, model: request.model, created: ctx.now() };
  const headers = { ...ctx.headers, 'x-request-id': requestId };

  if (!request.stream) {
    const result = await collectParts(parts);
    if (result.error !== undefined) throw fromProviderData(result.error);
    sendJson(ctx.res, 200, toChatCompletion(result, meta), { ...headers, ...warningsHeader([...request.warnings, ...result.warnings]) });
    return;
  }
  const encoder = createOpenAIChunkEncoder(meta, request.includeUsage);
  await pipeSse({ res: ctx.res, parts, headers: { ...headers, ...warningsHeader(request.warnings) }, encode: encoder.encode });
};
