/**
 * What a wire server should answer, in provider-neutral terms. Each provider's wire server
 * turns a scenario into its own wire format (OpenAI SSE, Anthropic SSE, Ollama NDJSON), so the
 * one contract suite can script every adapter the same way.
 */
export interface Scenario {
  /** Text deltas, streamed in this order. */
  text?: string[];
  /** Reasoning/thinking deltas, streamed before the text. */
  reasoning?: string[];
  toolCalls?: Array<{ id: string; name: string; arguments: string }>;
  /** Counts the provider reports. Leave a field out to have the provider not report it. */
  usage?: { input?: number; output?: number; cacheRead?: number; cacheWrite?: number; reasoning?: number; costUsd?: number };
  finish?: 'stop' | 'length' | 'tool-calls' | 'content-filter';
  /** Delay between streamed events, in ms (0 by default). */
  delayMs?: number;
  fault?: Fault;
}

/** Faults a wire server injects instead of (or in the middle of) a normal answer. */
export type Fault =
  /** An HTTP error with the provider's own error body. `retryAfter` sets the Retry-After header (seconds). */
  | { kind: 'status'; status: 401 | 403 | 404 | 408 | 413 | 429 | 500 | 503; retryAfter?: number; message?: string }
  /** Accept the request and never answer. */
  | { kind: 'timeout' }
  /** Destroy the socket before any response. */
  | { kind: 'reset' }
  /** Send this many events of a stream, then destroy the socket. */
  | { kind: 'cut'; afterEvents: number }
  /** Send this many events, then one that is not valid for the protocol. */
  | { kind: 'malformed'; afterEvents: number }
  /** Answer 200 with this content type and a body that is not the protocol's. */
  | { kind: 'content-type'; contentType: string };

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export interface WireServer {
  /** Base URL to give the SDK, e.g. `http://127.0.0.1:PORT/v1` for OpenAI. */
  readonly baseURL: string;
  /** Requests received, in order, with parsed JSON bodies. */
  readonly requests: RecordedRequest[];
  /** The next request is answered with this scenario; queue several for retries. Unscripted requests get a default text answer. */
  enqueue(...scenarios: Scenario[]): void;
  close(): Promise<void>;
}
