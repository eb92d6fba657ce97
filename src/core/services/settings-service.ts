import { type Document, isMap, isSeq } from 'yaml';
import { HOST_EVENTS, type InputOf } from '../../shared/contract';
import {
  type AppSettings,
  type EngineSettings,
  type SettingValue,
  type SettingsProvider,
  type SettingsView,
  type settingsContract,
} from '../../shared/contract/settings';
import { ContractFailure } from '../api/contract-failure';
import {
  type ConfigIssue,
  ConfigEditError,
  LOCAL_PROVIDER,
  type SwitchboardConfig,
  editConfigFile,
  findInSeq,
  literalText,
  readReferences,
  setFields,
} from '../config';
import { readConfigFile } from '../config/load-config';
import { KEY_ENV_VARS, type ProviderRegistry } from '../providers/registry';
import { missingModelFolders } from '../models/library';
import { type SecretEnv, type SecretStore, SecretStoreError, defaultSecretName } from '../secrets';
import { type AppSettingsStore } from './app-settings-store';
import { type Log } from './log';
import { providerTypeInfo, providerTypeInfos } from './provider-fields';

type Input<K extends keyof typeof settingsContract> = InputOf<(typeof settingsContract)[K]>;
type Path = (string | number)[];

export interface SettingsServiceDeps {
  dataDir: string;
  configPath: string;
  /** The config in force and the last load's problems. */
  config: () => SwitchboardConfig;
  configErrors: () => ConfigIssue[] | undefined;
  /** Reloads the file now (the watcher would, after its debounce), so the answer shows the edit in force. */
  reloadConfig: () => Promise<void>;
  registry: () => ProviderRegistry;
  secrets: SecretEnv;
  secretStore: SecretStore;
  appSettings: AppSettingsStore;
  /** Host events: the active model and the app settings changed. */
  emit: (name: string, data: unknown) => void;
  log: Log;
}

export interface SettingsService {
  get(): Promise<SettingsView>;
  saveProvider(input: Input<'settings.provider.save'>): Promise<SettingsView>;
  removeProvider(name: string): Promise<SettingsView>;
  saveGroup(input: Input<'settings.group.save'>): Promise<SettingsView>;
  removeGroup(name: string): Promise<SettingsView>;
  saveBudget(input: Input<'settings.budget.save'>): Promise<SettingsView>;
  removeBudget(scope: string): Promise<SettingsView>;
  saveEngine(input: Partial<EngineSettings>): Promise<SettingsView>;
  saveModelFolders(folders: string[]): Promise<SettingsView>;
  saveApp(input: Partial<Pick<AppSettings, 'hideToTray'>>): Promise<SettingsView>;
  activeModel(): { ref: string | null };
  setActiveModel(ref: string | null): Promise<{ ref: string | null }>;
}

/**
 * The settings page's service: reads the config in force (keys masked) and edits switchboard.yaml
 * through `editConfigFile` (validated, atomic, comments kept). Keys go to the SecretStore under an
 * environment-variable name, and the file refers to them as `${NAME}`.
 */
export function createSettingsService(deps: SettingsServiceDeps): SettingsService {
  const edit = async (change: (doc: Document) => void): Promise<SettingsView> => {
    try {
      await editConfigFile(deps.configPath, (doc) => change(doc), { env: deps.secrets.env });
    } catch (error) {
      throw asFailure(error);
    }
    await deps.reloadConfig();
    return get();
  };

  const configText = async (): Promise<string | null> => {
    const read = await readConfigFile(deps.configPath);
    return read.ok ? read.text : null;
  };

  async function get(): Promise<SettingsView> {
    const config = deps.config();
    const referenceAt = readReferences(await configText());
    const providers: SettingsProvider[] = deps
      .registry()
      .list()
      .map((p) => {
        const configured = config.providers[p.name];
        const info = providerTypeInfo(p.type);
        const values: Record<string, SettingValue> = {};
        for (const field of info?.fields ?? []) {
          const value = configured === undefined ? undefined : (configured as Record<string, unknown>)[field.key];
          if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') values[field.key] = value;
        }
        const reference = referenceAt(['providers', p.name, 'apiKey']);
        const secretName = reference ?? (p.keySource === 'env' ? (KEY_ENV_VARS[p.type as keyof typeof KEY_ENV_VARS] ?? null) : null);
        const source = p.keySource === undefined ? null : secretName !== null ? (deps.secrets.source(secretName) ?? 'env') : 'file';
        return {
          name: p.name,
          type: p.type,
          builtIn: p.builtIn,
          values,
          key: { set: p.keySource !== undefined, hint: p.keyHint ?? null, source, secretName },
          problem: p.problem ?? null,
        };
      });
    const engine = config.engine;
    return {
      dataDir: deps.dataDir,
      configPath: deps.configPath,
      configErrors: deps.configErrors() ?? null,
      secrets: { backend: deps.secretStore.description, problem: deps.secrets.problem() ?? null },
      providerTypes: providerTypeInfos(),
      providers,
      groups: Object.entries(config.groups).map(([name, group]) => ({
        name,
        strategy: group.strategy ?? null,
        deployments: group.deployments.map((d) => ({ provider: d.provider, model: d.model, ...(d.weight !== undefined && { weight: d.weight }) })),
        fallbacks: group.fallbacks ?? [],
      })),
      budgets: config.budgets.map((b) => ({ scope: b.scope, daily: b.daily ?? null, monthly: b.monthly ?? null, onExceeded: b.onExceeded ?? null })),
      engine: {
        gpu: engine.gpu ?? null,
        threads: engine.threads ?? null,
        contextSize: engine.contextSize ?? null,
        gpuLayers: engine.gpuLayers ?? null,
        flashAttention: engine.flashAttention ?? null,
      },
      modelFolders: config.models.folders,
      missingModelFolders: await missingModelFolders(deps.dataDir, config.models.folders),
      app: deps.appSettings.current(),
    };
  }

  /** Stores a key; returns how to undo it if the config edit that refers to it is refused. */
  const storeKey = async (name: string, value: string): Promise<() => Promise<void>> => {
    let previous: string | undefined;
    try {
      previous = (await deps.secretStore.readAll())[name];
      await deps.secretStore.set(name, value);
    } catch (error) {
      throw asFailure(error);
    }
    await deps.secrets.refresh();
    return async () => {
      await (previous === undefined ? deps.secretStore.delete(name) : deps.secretStore.set(name, previous));
      await deps.secrets.refresh();
    };
  };

  /** Deletes a stored key that nothing in the file refers to any more. */
  const forgetKey = async (name: string | undefined, text: string) => {
    if (name === undefined || deps.secrets.source(name) !== 'store' || text.includes(`\${${name}`)) return;
    try {
      await deps.secretStore.delete(name);
      await deps.secrets.refresh();
    } catch (error) {
      deps.log('warn', `the key ${name} could not be removed from the secret store: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  return {
    get,

    async saveProvider(input) {
      const { name, type } = input;
      const at = `providers.${name}`;
      if (name === LOCAL_PROVIDER) throw invalid(at, '"local" is the built-in engine; it has no settings here');
      const info = providerTypeInfo(type);
      if (info === undefined) throw invalid(`${at}.type`, `expected one of ${providerTypeInfos().map((t) => t.type).join(', ')}`);
      const values = input.values ?? {};
      const fields: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(values)) {
        const field = info.fields.find((x) => x.key === key);
        if (field === undefined) throw invalid(`${at}.${key}`, `not a setting of ${type} providers (settings: ${info.fields.map((x) => x.key).join(', ')})`);
        fields[key] = typed(field.kind, value);
      }
      if (input.apiKey !== undefined && !info.key.supported) throw invalid(`${at}.apiKey`, `${type} providers take no key`);

      const text = await configText();
      const existingReference = readReferences(text)(['providers', name, 'apiKey']);
      let undoKey: (() => Promise<void>) | undefined;
      if (input.apiKey !== undefined) {
        let secretName = existingReference ?? defaultSecretName(name);
        // The environment wins over the store: a key typed here must not hide behind an exported one.
        if (deps.secrets.source(secretName) === 'env') secretName = `SWITCHBOARD_${secretName}`;
        undoKey = await storeKey(secretName, input.apiKey);
        fields.apiKey = `\${${secretName}}`;
      } else if (input.clearKey === true) {
        fields.apiKey = undefined;
      }

      let written: string;
      try {
        ({ text: written } = await editConfigFile(
          deps.configPath,
          (doc) => {
            const path: Path = ['providers', name];
            // Another type: none of the old settings apply.
            if (doc.getIn([...path, 'type']) !== type && doc.hasIn(path)) doc.deleteIn(path);
            if (!isMap(doc.getIn(path, true))) doc.setIn(path, doc.createNode({ type }));
            setFields(doc, path, { type, ...fields });
          },
          { env: deps.secrets.env },
        ));
      } catch (error) {
        await undoKey?.().catch(() => undefined);
        throw asFailure(error);
      }
      if (input.clearKey === true) await forgetKey(existingReference, written);
      await deps.reloadConfig();
      return get();
    },

    async removeProvider(name) {
      if (name === LOCAL_PROVIDER) throw invalid(`providers.${name}`, '"local" is the built-in engine; it cannot be removed');
      const reference = readReferences(await configText())(['providers', name, 'apiKey']);
      let written: string;
      try {
        ({ text: written } = await editConfigFile(
          deps.configPath,
          (doc) => {
            if (!doc.hasIn(['providers', name])) throw new ConfigEditError([{ path: `providers.${name}`, message: 'no such provider in the file' }]);
            doc.deleteIn(['providers', name]);
          },
          { env: deps.secrets.env },
        ));
      } catch (error) {
        throw asFailure(error);
      }
      await forgetKey(reference, written);
      await deps.reloadConfig();
      return get();
    },

    saveGroup(input) {
      return edit((doc) => {
        const path: Path = ['groups', input.name];
        const deployments = doc.createNode(input.deployments);
        // one line per deployment, as the README writes them
        for (const item of deployments.items) if (isMap(item)) item.flow = true;
        if (!isMap(doc.getIn(path, true))) doc.setIn(path, doc.createNode({}));
        setFields(doc, path, {
          strategy: input.strategy ?? undefined,
          deployments,
          fallbacks: input.fallbacks && input.fallbacks.length > 0 ? flowSeq(doc, input.fallbacks) : undefined,
        });
      });
    },

    removeGroup(name) {
      return edit((doc) => {
        if (!doc.hasIn(['groups', name])) throw new ConfigEditError([{ path: `groups.${name}`, message: 'no such group in the file' }]);
        doc.deleteIn(['groups', name]);
      });
    },

    saveBudget(input) {
      return edit((doc) => {
        const fields = {
          daily: input.daily ?? undefined,
          monthly: input.monthly ?? undefined,
          onExceeded: input.onExceeded ?? undefined,
        };
        const index = findInSeq(doc, ['budgets'], 'scope', input.scope);
        if (index >= 0) return setFields(doc, ['budgets', index], fields);
        const item = doc.createNode({ scope: input.scope, ...Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) });
        item.flow = true;
        const budgets = doc.getIn(['budgets'], true);
        if (!isSeq(budgets)) return doc.setIn(['budgets'], doc.createNode([item]));
        // `budgets: []` becomes a block list: one line per budget
        if (budgets.items.length === 0) budgets.flow = false;
        budgets.items.push(item);
      });
    },

    removeBudget(scope) {
      return edit((doc) => {
        const index = findInSeq(doc, ['budgets'], 'scope', scope);
        if (index < 0) throw new ConfigEditError([{ path: 'budgets', message: `no budget for scope "${scope}"` }]);
        doc.deleteIn(['budgets', index]);
      });
    },

    saveEngine(input) {
      return edit((doc) => {
        if (!isMap(doc.getIn(['engine'], true))) doc.setIn(['engine'], doc.createNode({}));
        setFields(doc, ['engine'], Object.fromEntries(Object.entries(input).map(([k, v]) => [k, v === null ? undefined : v])));
      });
    },

    saveModelFolders(folders) {
      return edit((doc) => {
        if (!isMap(doc.getIn(['models'], true))) doc.setIn(['models'], doc.createNode({}));
        setFields(doc, ['models'], { folders: doc.createNode(folders.map(literalText)) });
      });
    },

    async saveApp(input) {
      const next = await deps.appSettings.update(input);
      deps.emit(HOST_EVENTS.appSettingsChanged, next);
      return get();
    },

    activeModel: () => ({ ref: deps.appSettings.current().activeModel }),

    async setActiveModel(ref) {
      if (deps.appSettings.current().activeModel === ref) return { ref };
      const next = await deps.appSettings.update({ activeModel: ref });
      deps.emit(HOST_EVENTS.activeModelChanged, { ref: next.activeModel });
      return { ref: next.activeModel };
    },
  };
}

function flowSeq(doc: Document, items: string[]) {
  const node = doc.createNode(items);
  node.flow = true;
  return node;
}

/** A form's value as the schema wants it: '' removes the setting; numbers and booleans typed as text are converted. */
function typed(kind: string, value: SettingValue | null): unknown {
  if (value === null || value === '') return undefined;
  if (kind === 'number' && typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  if (kind === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  return typeof value === 'string' ? literalText(value) : value;
}

function invalid(path: string, message: string): ContractFailure {
  return new ContractFailure('VALIDATION_FAILED', `the change was not saved: ${path}: ${message}`, { issues: [{ path, message }] });
}

function asFailure(error: unknown): unknown {
  if (error instanceof ConfigEditError) return new ContractFailure('VALIDATION_FAILED', error.message, { issues: error.issues });
  if (error instanceof SecretStoreError) return new ContractFailure('UNAVAILABLE', error.message);
  return error;
}
