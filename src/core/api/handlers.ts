import { type Contract, type HandlersFor, type RouteChoice } from '../../shared/contract';
import { type AttachmentsService, type ChatService, type ConversationEditsService, type ConversationsService, type HealthService, type ModelsService, type ProvidersService, type UsageService } from '../services';
import { type SettingsService } from '../services/settings-service';
import { type CompareService } from '../services/compare-service';
import { type AssistantsService } from '../services/assistants-service';
import { type BudgetsService } from '../services/budgets';
import { type EngineService } from '../services/engine-service';
import { type GatewayTokensService } from '../services/gateway-tokens-service';
import { type GatewayControl } from '../services/gateway-control-service';
import { type DownloadsService, type HubService, type ModelFilesService } from '../services/downloads-types';
import { ContractFailure } from './contract-failure';

export interface CoreServices {
  chat: ChatService;
  /** One prompt to 2–4 models side by side, each a routed call; a host without a router has none. */
  compare?: CompareService;
  conversations: ConversationsService;
  models: ModelsService;
  usage: UsageService;
  /** Configured providers; a host without a config has none to show. */
  providers?: ProvidersService;
  /** The router's deployments; a host without a router has none to show. */
  health?: HealthService;
  /** Budgets against recorded spend; a host without a config has none. */
  budgets?: BudgetsService;
  /** The router's groups and aliases, for the model picker. */
  routing?: { groups(): { groups: RouteChoice[] } };
  /** The settings page: config edits written back to switchboard.yaml, keys to the SecretStore. */
  settings?: SettingsService;
  /** Image attachments stored in the data dir; a host without a data dir has none. */
  attachments?: AttachmentsService;
  /** Conversation search, and truncation for edit-and-resend / regenerate. */
  conversationEdits?: ConversationEditsService;
  /** Hugging Face search, the download manager, model files; a host without them answers UNAVAILABLE. */
  hub?: HubService;
  downloads?: DownloadsService;
  modelFiles?: ModelFilesService;
  /** Engine control: load, unload, hot-swap, per-model settings, the GPU self-check. */
  engine?: EngineService;
  /** The HTTP gateway's named tokens; a host without a data dir has none. */
  gatewayTokens?: GatewayTokensService;
  /** Assistants (presets in switchboard.yaml) and the one each conversation uses; a host without a config has none. */
  assistants?: AssistantsService;
  /** The HTTP gateway's switch and status; a host without a data dir has none. */
  gateway?: GatewayControl;
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
    'compare.run': (input, ctx) => need(services.compare, 'compare').run(input, ctx.signal),
    'compare.stop': ({ runId, column }) => ({ stopped: need(services.compare, 'compare').stop(runId, column) }),
    'compare.recent': ({ limit }) => need(services.compare, 'compare').recent(limit),
    'compare.continue': ({ runId, column }) => need(services.compare, 'compare').toChat(runId, column),
    'compare.delete': ({ runId }) => need(services.compare, 'compare').remove(runId),
    'attachments.put': (input) => attachmentsOf(services).put(input),
    'attachments.get': ({ id }) => attachmentsOf(services).get(id),
    'conversations.list': ({ limit }) => services.conversations.list(limit),
    'conversations.get': ({ id }) => services.conversations.get(id),
    'conversations.search': ({ query, limit }) => editsOf(services).search(query, limit),
    'conversations.route': ({ messageId }) => editsOf(services).route(messageId),
    'conversations.truncate': ({ conversationId, fromMessageId }) => editsOf(services).truncate(conversationId, fromMessageId),
    'models.local.list': () => services.models.listLocal(),
    'models.list': ({ refresh }, ctx) => services.models.list({ ...(refresh !== undefined && { refresh }), signal: ctx.signal }),
    'usage.summary': ({ from, to }) => services.usage.summary({ from, to }),
    'usage.dashboard': (input) => services.usage.dashboard(input),
    'usage.export': ({ from, to }) => services.usage.exportCsv({ from, to }),
    'usage.clear': ({ from, to }) => services.usage.clear({ from, to }),
    'providers.list': () => providersOf(services).list(),
    'providers.test': ({ name }, ctx) => providersOf(services).test(name, ctx.signal),
    'health.list': () => services.health?.list() ?? { deployments: [] },
    'budgets.status': () => services.budgets?.status() ?? { budgets: [] },
    'routing.groups': () => services.routing?.groups() ?? { groups: [] },
    'settings.get': () => need(services.settings, 'settings').get(),
    'settings.provider.save': (input) => need(services.settings, 'settings').saveProvider(input),
    'settings.provider.remove': ({ name }) => need(services.settings, 'settings').removeProvider(name),
    'settings.group.save': (input) => need(services.settings, 'settings').saveGroup(input),
    'settings.group.remove': ({ name }) => need(services.settings, 'settings').removeGroup(name),
    'settings.budget.save': (input) => need(services.settings, 'settings').saveBudget(input),
    'settings.budget.remove': ({ scope }) => need(services.settings, 'settings').removeBudget(scope),
    'settings.engine.save': (input) => need(services.settings, 'settings').saveEngine(input),
    'settings.folders.save': ({ folders }) => need(services.settings, 'settings').saveModelFolders(folders),
    'settings.app.save': (input) => need(services.settings, 'settings').saveApp(input),
    'settings.active.get': () => need(services.settings, 'settings').activeModel(),
    'settings.active.set': ({ ref }) => need(services.settings, 'settings').setActiveModel(ref),
    'hub.search': (input, ctx) => need(services.hub, 'Hugging Face search').search(input, ctx.signal),
    'hub.repo': ({ repo }, ctx) => need(services.hub, 'Hugging Face search').repo(repo, ctx.signal),
    'hub.inspect': ({ repo, file }, ctx) => need(services.hub, 'Hugging Face search').inspect(repo, file, ctx.signal),
    'downloads.list': () => need(services.downloads, 'the download manager').list(),
    'downloads.start': (source) => need(services.downloads, 'the download manager').start(source),
    'downloads.pause': ({ id }) => need(services.downloads, 'the download manager').pause(id),
    'downloads.resume': ({ id }) => need(services.downloads, 'the download manager').resume(id),
    'downloads.cancel': ({ id }) => need(services.downloads, 'the download manager').cancel(id),
    'downloads.retry': ({ id }) => need(services.downloads, 'the download manager').retry(id),
    'downloads.dismiss': ({ id }) => need(services.downloads, 'the download manager').dismiss(id),
    'downloads.starter': ({ start }) => need(services.downloads, 'the download manager').starter(start),
    'models.delete': ({ id }) => need(services.modelFiles, 'model file management').delete(id),
    'models.import': ({ path }) => need(services.modelFiles, 'model file management').import(path),
    'models.fit': ({ id }) => need(services.modelFiles, 'model file management').fit(id),
    'engine.status': () => need(services.engine, 'engine control').status(),
    'engine.load': (input) => need(services.engine, 'engine control').load(input),
    'engine.unload': ({ model }) => need(services.engine, 'engine control').unload(model),
    'engine.settings': ({ model }) => need(services.engine, 'engine control').settings(model),
    'engine.check': ({ force }) => need(services.engine, 'engine control').selfCheck(force === true),
    'gateway.status': () => need(services.gateway, 'the gateway').status(),
    'gateway.enable': ({ enabled }) => need(services.gateway, 'the gateway').enable(enabled),
    'assistants.list': () => need(services.assistants, 'assistants').list(),
    'assistants.save': (input) => need(services.assistants, 'assistants').save(input),
    'assistants.remove': ({ name }) => need(services.assistants, 'assistants').remove(name),
    'assistants.use': ({ conversationId, assistant }) => need(services.assistants, 'assistants').use(conversationId, assistant),
    'gateway.tokens.list': () => need(services.gatewayTokens, 'gateway tokens').list(),
    'gateway.tokens.create': ({ name }) => need(services.gatewayTokens, 'gateway tokens').create(name),
    'gateway.tokens.revoke': ({ name }) => need(services.gatewayTokens, 'gateway tokens').revoke(name),
  };
}

function providersOf(services: CoreServices): ProvidersService {
  if (services.providers === undefined) throw new ContractFailure('UNAVAILABLE', 'this host has no provider registry');
  return services.providers;
}

function attachmentsOf(services: CoreServices): AttachmentsService {
  if (services.attachments === undefined) throw new ContractFailure('UNAVAILABLE', 'this host stores no attachments');
  return services.attachments;
}

function need<T>(service: T | undefined, what: string): T {
  if (service === undefined) throw new ContractFailure('UNAVAILABLE', `this host has no ${what}`);
  return service;
}

function editsOf(services: CoreServices): ConversationEditsService {
  if (services.conversationEdits === undefined) throw new ContractFailure('UNAVAILABLE', 'this host cannot search or edit conversations');
  return services.conversationEdits;
}
