import { AzureOpenAI } from 'openai';
import { ProviderError } from '../../../shared/llm';
import { type OpenAIProvider, createOpenAI } from '../openai/create-openai';
import { type PresetSettings, commonSettings } from './preset-settings';

export interface AzureOpenAISettings extends PresetSettings {
  /** The resource endpoint, `https://<resource>.openai.azure.com`. */
  endpoint: string;
  /** The default deployment: used when a model id is not given, e.g. `languageModel()`. */
  deployment?: string;
  /** The `api-version` query parameter, e.g. `2024-10-21`. */
  apiVersion: string;
  /** Sent as the `api-key` header. Falls back to AZURE_OPENAI_API_KEY. */
  apiKey?: string;
  /** A Microsoft Entra ID token, sent as `Authorization: Bearer`. Use instead of apiKey. */
  bearerToken?: string;
}

export interface AzureOpenAIProvider extends Omit<OpenAIProvider, 'languageModel' | 'chat'> {
  /** The model id is the deployment name; without one, the configured deployment. */
  languageModel(deployment?: string): ReturnType<OpenAIProvider['languageModel']>;
  chat(deployment?: string): ReturnType<OpenAIProvider['languageModel']>;
}

/**
 * Azure OpenAI through the SDK's own `AzureOpenAI` client: requests go to
 * `<endpoint>/openai/deployments/<deployment>/…?api-version=…` with an `api-key` header (or a
 * bearer token). The model id callers use is the deployment name.
 */
export function createAzureOpenAI(settings: AzureOpenAISettings): AzureOpenAIProvider {
  const provider = settings.provider ?? 'azure';
  if (settings.apiKey && settings.bearerToken) {
    throw new ProviderError({ kind: 'bad_request', provider, retryable: false, message: 'Azure OpenAI: set apiKey or bearerToken, not both.' });
  }
  const bearer = settings.bearerToken !== undefined && settings.bearerToken !== '' ? settings.bearerToken : undefined;
  const baseURL = `${settings.endpoint.replace(/\/+$/, '')}/openai`;
  const inner = createOpenAI({
    ...commonSettings(settings),
    provider,
    baseURL,
    // The bearer token rides as the "key" so a missing credential is one auth error, and errors scrub it.
    ...(bearer !== undefined ? { apiKey: bearer } : settings.apiKey !== undefined ? { apiKey: settings.apiKey } : {}),
    apiKeyEnvVar: bearer !== undefined ? null : 'AZURE_OPENAI_API_KEY',
    createClient: (options) => {
      // Our own baseURL (not `endpoint`): the SDK would otherwise also read OPENAI_BASE_URL.
      const { apiKey, provider: _provider, ...rest } = options;
      const key = typeof apiKey === 'string' ? apiKey : '';
      return bearer !== undefined
        ? new AzureOpenAI({ ...rest, baseURL, apiVersion: settings.apiVersion, azureADTokenProvider: () => Promise.resolve(bearer) })
        : new AzureOpenAI({ ...rest, baseURL, apiVersion: settings.apiVersion, apiKey: key });
    },
  });
  const deploymentOf = (deployment: string | undefined): string => {
    const name = deployment ?? settings.deployment;
    if (name === undefined || name === '') {
      throw new ProviderError({
        kind: 'bad_request',
        provider,
        retryable: false,
        message: `Azure OpenAI needs a deployment: name it in the model ref (${provider}/<deployment>) or set providers.${provider}.deployment.`,
      });
    }
    return name;
  };
  const languageModel = (deployment?: string) => inner.languageModel(deploymentOf(deployment));
  return { ...inner, languageModel, chat: languageModel };
}
