import { type Contract, type HandlersFor } from '../../shared/contract';
import { type ChatService, type ConversationsService, type HealthService, type ModelsService, type ProvidersService, type UsageService } from '../services';
import { ContractFailure } from './contract-failure';

export interface CoreServices {
  chat: ChatService;
  conversations: ConversationsService;
  models: ModelsService;
  usage: UsageService;
  /** Configured providers; a host without a config has none to show. */
  providers?: ProvidersService;
  /** The router's deployments; a host without a router has none to show. */
  health?: HealthService;
}

/**
 * Every contract route, mapped to a service call. The type is exhaustive: a route
 * without a handler, or a handler without a route, does not compile. Inputs arrive
 * already parsed by the dispatcher; handlers stay one line where they can.
 */
export function createHandlers(services: CoreServices): HandlersFor<Contract> {
  return {
    'chat.send': (input, ctx) => services.chat.send(input, ctx.signal, ctx.origin),
    'chat.abort': ({ conversationId }) => ({ aborted: services.chat.abort(conversationId) }),
    'conversations.list': ({ limit }) => services.conversations.list(limit),
    'conversations.get': ({ id }) => services.conversations.get(id),
    'models.local.list': () => services.models.listLocal(),
    'models.list': ({ refresh }, ctx) => services.models.list({ ...(refresh !== undefined && { refresh }), signal: ctx.signal }),
    'usage.summary': ({ from, to }) => services.usage.summary({ from, to }),
    'providers.list': () => providersOf(services).list(),
    'providers.test': ({ name }, ctx) => providersOf(services).test(name, ctx.signal),
    'health.list': () => services.health?.list() ?? { deployments: [] },
  };
}

function providersOf(services: CoreServices): ProvidersService {
  if (services.providers === undefined) throw new ContractFailure('UNAVAILABLE', 'this host has no provider registry');
  return services.providers;
}
