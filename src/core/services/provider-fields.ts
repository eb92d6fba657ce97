import { type ProviderField, type ProviderTypeInfo } from '../../shared/contract/settings';
import { type ProviderType } from '../config';
import { KEY_ENV_VARS } from '../providers/registry';

/**
 * What the settings page may edit for each provider type: the config schema's settings
 * (provider-fields.test.ts checks every key against the schema), minus the ones that stay
 * hand-written (headers, which may carry credentials; the mock's faults and scripted usage;
 * Azure's bearerToken). The key is separate: it goes to the SecretStore.
 */

const f = (key: string, label: string, kind: ProviderField['kind'], options: { required?: boolean; help?: string } = {}): ProviderField => ({
  key,
  label,
  kind,
  required: options.required ?? false,
  help: options.help ?? null,
});

const timeout = f('timeoutMs', 'Timeout (ms)', 'number');
const retries = f('maxRetries', 'Max retries', 'number');
const baseURL = (help?: string) => f('baseURL', 'Base URL', 'url', help === undefined ? {} : { help });

const FIELDS: Record<Exclude<ProviderType, 'local'>, { label: string; fields: ProviderField[]; key: boolean }> = {
  openai: { label: 'OpenAI', key: true, fields: [baseURL('default https://api.openai.com/v1'), f('organization', 'Organization', 'text'), f('project', 'Project', 'text'), timeout, retries] },
  azure: {
    label: 'Azure OpenAI',
    key: true,
    fields: [
      f('endpoint', 'Endpoint', 'url', { required: true, help: 'https://<resource>.openai.azure.com' }),
      f('apiVersion', 'API version', 'text', { required: true, help: 'e.g. 2024-10-21' }),
      f('deployment', 'Deployment', 'text', { help: 'without one, the model part of a ref names the deployment' }),
      timeout,
      retries,
    ],
  },
  anthropic: { label: 'Anthropic', key: true, fields: [baseURL(), timeout, retries] },
  openrouter: {
    label: 'OpenRouter',
    key: true,
    fields: [f('appName', 'App name (X-Title)', 'text'), f('appUrl', 'App URL (HTTP-Referer)', 'url'), baseURL(), timeout, retries],
  },
  deepseek: { label: 'DeepSeek', key: true, fields: [baseURL(), timeout, retries] },
  'openai-compatible': {
    label: 'OpenAI-compatible server',
    key: true,
    fields: [
      f('baseURL', 'Base URL', 'url', { required: true, help: 'e.g. http://gpu-box:8000/v1' }),
      f('insecureTLS', 'Skip TLS certificate checks (insecure)', 'boolean'),
      timeout,
      retries,
    ],
  },
  ollama: { label: 'Ollama', key: true, fields: [baseURL('default http://127.0.0.1:11434'), timeout] },
  mock: {
    label: 'Mock (for trying things)',
    key: false,
    fields: [
      f('response', 'Response', 'text'),
      f('echo', 'Echo the last message', 'boolean'),
      f('reasoning', 'Reasoning', 'text'),
      f('latencyMs', 'Latency (ms)', 'number'),
      f('tokenDelayMs', 'Delay between tokens (ms)', 'number'),
    ],
  },
};

/** The schema keys each type keeps out of the form (checked by the test, so the table can't drift). */
export const HAND_WRITTEN_KEYS: Readonly<Record<string, readonly string[]>> = {
  openai: ['type', 'apiKey', 'headers'],
  azure: ['type', 'apiKey', 'bearerToken', 'headers'],
  anthropic: ['type', 'apiKey', 'headers'],
  openrouter: ['type', 'apiKey', 'headers'],
  deepseek: ['type', 'apiKey', 'headers'],
  'openai-compatible': ['type', 'apiKey', 'headers'],
  ollama: ['type', 'apiKey', 'headers'],
  mock: ['type', 'toolCalls', 'fault', 'usage', 'finishReason', 'seed'],
};

export function providerTypeInfos(): ProviderTypeInfo[] {
  return Object.entries(FIELDS).map(([type, info]) => ({
    type,
    label: info.label,
    fields: info.fields,
    key: { supported: info.key, envVar: KEY_ENV_VARS[type as ProviderType] ?? null },
  }));
}

export function providerTypeInfo(type: string): ProviderTypeInfo | undefined {
  return providerTypeInfos().find((t) => t.type === type);
}
