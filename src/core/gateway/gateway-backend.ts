import type { CallOptions, PartSource } from '../../shared/llm';

/**
 * What the gateway needs from the core: the routed caller (`core.calls`) for chat, and the
 * provider registry for embeddings. Narrow on purpose, so the HTTP layer and its mappers are
 * tested without knowing how the core is built.
 */
export interface GatewayBackend {
  /**
   * Routes and records one call (one `calls` row per attempt, with `client`). Rejects with a
   * ProviderError (`not_found`, `budget`, …) when nothing could be attempted; once it resolves,
   * failures arrive as an `error` part.
   */
  stream(request: GatewayCall): Promise<PartSource & { requestId: string }>;
  /** What `GET /v1/models` lists: groups, aliases and deployments. */
  targets(): Promise<GatewayTarget[]> | GatewayTarget[];
  /** One embedding request, routed to a provider's embedding model and recorded as one `calls` row. */
  embed(request: GatewayEmbedRequest): Promise<GatewayEmbedResult>;
}

export interface GatewayCall {
  /** A group, an alias, `provider/model`, or a bare model name. */
  model: string;
  options: CallOptions;
  /** The token's name: recorded as the call's `client`. */
  client: string;
  tags?: string[];
  preferredProvider?: string;
}

export interface GatewayTarget {
  id: string;
  kind: 'group' | 'alias' | 'deployment' | 'local';
  /** Who serves it: `switchboard` for groups and aliases, the provider name for a deployment or local model. */
  ownedBy: string;
}

export interface GatewayEmbedRequest {
  model: string;
  input: string[];
  dimensions?: number;
  client: string;
  abortSignal?: AbortSignal;
}

export interface GatewayEmbedResult {
  embeddings: number[][];
  /** Unknown stays undefined. */
  inputTokens: number | undefined;
  model: string;
}
