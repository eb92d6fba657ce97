export const DEFAULT_HUB_URL = 'https://huggingface.co';

/**
 * The hub to talk to: `hub.url` from switchboard.yaml, else `HF_ENDPOINT` (the variable the
 * Hugging Face tools read, for mirrors), else huggingface.co. No trailing slash.
 */
export function resolveHubUrl(configured: string | undefined, env: Readonly<Record<string, string | undefined>>): string {
  const url = configured ?? (env.HF_ENDPOINT !== undefined && env.HF_ENDPOINT !== '' ? env.HF_ENDPOINT : DEFAULT_HUB_URL);
  return url.replace(/\/+$/, '');
}

/** `HF_TOKEN` (or the older `HUGGING_FACE_HUB_TOKEN`), for gated and private repos. Never logged. */
export function hubToken(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const token = env.HF_TOKEN ?? env.HUGGING_FACE_HUB_TOKEN;
  return token === undefined || token === '' ? undefined : token;
}
