import { collectParts } from '../../../shared/llm';
import { fromProviderData } from '../gateway-error';
import { sendJson } from '../http-io';
import { type RouteHandler, parseBody, startCall, warningsHeader } from '../route-context';
import { pipeSse } from '../stream-response';
import { mapMessagesRequest, messagesRequestSchema } from './anthropic-messages-request';
import { createAnthropicEventEncoder, toAnthropicMessage } from './anthropic-messages-response';

/** `POST /v1/messages` in Anthropic's format, streamed (SSE events) or not. */
export const messagesRoute: RouteHandler = async (ctx) => {
  const request = mapMessagesRequest(parseBody(messagesRequestSchema, ctx.body));
  const { requestId, parts } = await startCall(ctx, request);
  const meta = { id: `msg_${requestId.replace(/[^A-Za-z0-9]/g, '')}`, model: request.model };
  const headers = { ...ctx.headers, 'request-id': requestId, 'x-request-id': requestId };

  if (!request.stream) {
    const result = await collectParts(parts);
    if (result.error !== undefined) throw fromProviderData(result.error);
    sendJson(ctx.res, 200, toAnthropicMessage(result, meta), { ...headers, ...warningsHeader([...request.warnings, ...result.warnings]) });
    return;
  }
  const encoder = createAnthropicEventEncoder(meta);
  await pipeSse({ res: ctx.res, parts, headers: { ...headers, ...warningsHeader(request.warnings) }, preamble: encoder.start, encode: encoder.encode });
};
