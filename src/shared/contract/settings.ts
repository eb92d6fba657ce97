import { z } from 'zod';
import { configIssueSchema } from './providers';
import { route } from './route';

/**
 * The settings page's view of the config and the app, and its edits. Every edit is validated
 * with the config schema and written to switchboard.yaml atomically, keeping the user's
 * comments; a refused edit is `VALIDATION_FAILED` with the issues (`budgets[0].daily: …`) in
 * `error.data.issues`. Keys go to the SecretStore, never to the file: the file gets
 * `apiKey: ${NAME}`, and the UI only ever sees `sk-…abcd`.
 */

export const BUDGET_ACTIONS = ['block', 'warn', 'fallback-local'] as const;
export const PROVIDER_FIELD_KINDS = ['text', 'url', 'number', 'boolean'] as const;

const settingValueSchema = z.union([z.string(), z.number(), z.boolean()]);
export type SettingValue = z.infer<typeof settingValueSchema>;

/** One editable setting of a provider type, from the config schema. */
export const providerFieldSchema = z.object({
  key: z.string(),
  label: z.string(),
  kind: z.enum(PROVIDER_FIELD_KINDS),
  required: z.boolean(),
  help: z.string().nullable(),
});
export type ProviderField = z.infer<typeof providerFieldSchema>;

export const providerTypeInfoSchema = z.object({
  type: z.string(),
  label: z.string(),
  fields: z.array(providerFieldSchema),
  /** Whether the type takes an API key, and the vendor variable it falls back to. */
  key: z.object({ supported: z.boolean(), envVar: z.string().nullable() }),
});
export type ProviderTypeInfo = z.infer<typeof providerTypeInfoSchema>;

export const providerKeyStateSchema = z.object({
  set: z.boolean(),
  /** `sk-…abcd` at most. */
  hint: z.string().nullable(),
  /** store: the SecretStore; env: the environment; file: written in switchboard.yaml in plain text. */
  source: z.enum(['store', 'env', 'file']).nullable(),
  /** The variable it is read from (`${NAME}` in the file, or the vendor's variable). */
  secretName: z.string().nullable(),
});

export const settingsProviderSchema = z.object({
  name: z.string(),
  type: z.string(),
  builtIn: z.boolean(),
  /** The type's settings as in force (keys and headers left out). */
  values: z.record(z.string(), settingValueSchema),
  key: providerKeyStateSchema,
  problem: z.string().nullable(),
});
export type SettingsProvider = z.infer<typeof settingsProviderSchema>;

const deploymentSchema = z.object({
  provider: z.string().min(1),
  model: z.string().min(1),
  weight: z.number().nonnegative().optional(),
});

export const settingsGroupSchema = z.object({
  name: z.string(),
  strategy: z.string().nullable(),
  deployments: z.array(deploymentSchema),
  fallbacks: z.array(z.string()),
});
export type SettingsGroup = z.infer<typeof settingsGroupSchema>;

export const settingsBudgetSchema = z.object({
  /** global, provider:NAME, group:NAME or model:ID */
  scope: z.string().min(1),
  daily: z.number().nonnegative().nullable(),
  monthly: z.number().nonnegative().nullable(),
  onExceeded: z.enum(BUDGET_ACTIONS).nullable(),
});
export type SettingsBudget = z.infer<typeof settingsBudgetSchema>;

const autoOrInt = z.union([z.literal('auto'), z.number().int()]);
export const engineSettingsSchema = z.object({
  gpu: z.union([z.enum(['auto', 'cuda', 'metal', 'vulkan']), z.literal(false)]).nullable(),
  threads: autoOrInt.nullable(),
  contextSize: autoOrInt.nullable(),
  gpuLayers: z.union([z.enum(['auto', 'max']), z.number().int()]).nullable(),
  flashAttention: z.boolean().nullable(),
});
export type EngineSettings = z.infer<typeof engineSettingsSchema>;

/** The app's own preferences (not the config file): kept in the data dir. */
export const appSettingsSchema = z.object({
  /** Closing the window hides it to the tray (Electron) rather than quitting. */
  hideToTray: z.boolean(),
  /** The model or group new chats use; the tray and the picker share it. */
  activeModel: z.string().nullable(),
});
export type AppSettings = z.infer<typeof appSettingsSchema>;

export const settingsViewSchema = z.object({
  dataDir: z.string(),
  configPath: z.string(),
  /** The file's problems while a bad hand edit is in it (the last good config stays in force). */
  configErrors: z.array(configIssueSchema).nullable(),
  secrets: z.object({ backend: z.string(), problem: z.string().nullable() }),
  providerTypes: z.array(providerTypeInfoSchema),
  providers: z.array(settingsProviderSchema),
  groups: z.array(settingsGroupSchema),
  budgets: z.array(settingsBudgetSchema),
  engine: engineSettingsSchema,
  modelFolders: z.array(z.string()),
  /** The entries of `modelFolders` (as written) that are not a folder on this machine: the library skips them. */
  missingModelFolders: z.array(z.string()),
  app: appSettingsSchema,
});
export type SettingsView = z.infer<typeof settingsViewSchema>;

const providerName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'names use letters, digits, ".", "_" and "-", and start with a letter or digit');

export const settingsContract = {
  'settings.get': route({ input: z.object({}).default({}), output: settingsViewSchema }),
  /** Adds or edits a provider. `apiKey` stores a new key; `clearKey` removes the key; neither keeps it. */
  'settings.provider.save': route({
    input: z.object({
      name: providerName,
      type: z.string().min(1),
      /** The type's settings; null or '' removes one. */
      values: z.record(z.string(), settingValueSchema.nullable()).default({}),
      apiKey: z.string().min(1).max(4096).optional(),
      clearKey: z.boolean().optional(),
    }),
    output: settingsViewSchema,
  }),
  'settings.provider.remove': route({ input: z.object({ name: providerName }), output: settingsViewSchema }),
  'settings.group.save': route({
    input: z.object({
      name: providerName,
      strategy: z.string().nullable().default(null),
      deployments: z.array(deploymentSchema),
      fallbacks: z.array(z.string().min(1)).default([]),
    }),
    output: settingsViewSchema,
  }),
  'settings.group.remove': route({ input: z.object({ name: providerName }), output: settingsViewSchema }),
  'settings.budget.save': route({ input: settingsBudgetSchema, output: settingsViewSchema }),
  'settings.budget.remove': route({ input: z.object({ scope: z.string().min(1) }), output: settingsViewSchema }),
  'settings.engine.save': route({ input: engineSettingsSchema.partial(), output: settingsViewSchema }),
  'settings.folders.save': route({ input: z.object({ folders: z.array(z.string().min(1)) }), output: settingsViewSchema }),
  'settings.app.save': route({ input: appSettingsSchema.pick({ hideToTray: true }).partial(), output: settingsViewSchema }),
  /** The model or group new chats use, shared by the picker and the tray (`settings.active.changed` follows a change). */
  'settings.active.get': route({ input: z.object({}).default({}), output: z.object({ ref: z.string().nullable() }) }),
  'settings.active.set': route({
    input: z.object({ ref: z.string().min(1).max(512).nullable() }),
    output: z.object({ ref: z.string().nullable() }),
  }),
} as const;
