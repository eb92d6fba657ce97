import type { IncomingMessage } from 'node:http';
import type { GatewayTarget } from './gateway-backend';
import { GatewayError } from './gateway-error';
import { sendJson } from './http-io';
import type { RouteContext } from './route-context';

/** Epoch seconds shown as `created`: Switchboard has no creation date for a group; a fixed one keeps lists stable. */
const CREATED = 1_735_689_600;

/**
 * `GET /v1/models` (and `/v1/models/{id}`): groups, aliases and deployments. Anthropic's SDK sends
 * `anthropic-version`, and gets Anthropic's list shape; everyone else gets OpenAI's.
 */
export async function modelsRoute(ctx: RouteContext, req: IncomingMessage, id: string | undefined): Promise<void> {
  const targets = await ctx.backend.targets();
  const anthropic = req.headers['anthropic-version'] !== undefined;
  if (id !== undefined) {
    const target = targets.find((t) => t.id === id);
    if (target === undefined) throw new GatewayError({ code: 'not_found', message: `the model "${id}" does not exist; GET /v1/models lists them`, param: 'model' });
    sendJson(ctx.res, 200, anthropic ? anthropicModel(target) : openAIModel(target), ctx.headers);
    return;
  }
  if (anthropic) {
    const data = targets.map(anthropicModel);
    sendJson(ctx.res, 200, { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null }, ctx.headers);
    return;
  }
  sendJson(ctx.res, 200, { object: 'list', data: targets.map(openAIModel) }, ctx.headers);
}

const openAIModel = (t: GatewayTarget) => ({ id: t.id, object: 'model', created: CREATED, owned_by: t.ownedBy, switchboard_kind: t.kind });
const anthropicModel = (t: GatewayTarget) => ({ type: 'model', id: t.id, display_name: t.id, created_at: new Date(CREATED * 1000).toISOString() });
