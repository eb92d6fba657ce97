import type { OpenAIProviderSettings } from '../openai/create-openai';

type Fetch = NonNullable<OpenAIProviderSettings['fetch']>;

/**
 * A fetch for this provider only that does not verify the server's TLS certificate (a
 * self-signed vLLM or LiteLLM box). It uses undici's own fetch with an Agent whose connector
 * skips verification; nothing global changes (no NODE_TLS_REJECT_UNAUTHORIZED, no global
 * dispatcher). undici is loaded on first use, so providers that don't ask for this never load it.
 *
 * INSECURE: anyone on the path can read and change the traffic, the API key included.
 */
export function insecureTLSFetch(): Fetch {
  let loaded: Promise<{ fetch: Fetch }> | undefined;
  const load = () =>
    (loaded ??= import('undici').then((undici) => {
      const dispatcher = new undici.Agent({ connect: { rejectUnauthorized: false } });
      const fetch: Fetch = (input, init) =>
        undici.fetch(input as Parameters<typeof undici.fetch>[0], { ...(init as Parameters<typeof undici.fetch>[1]), dispatcher }) as unknown as Promise<Response>;
      return { fetch };
    }));
  return async (input, init) => (await load()).fetch(input, init);
}
