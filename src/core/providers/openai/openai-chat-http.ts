import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type { Dispatcher } from 'undici';
import { PartQueue, ProviderError, type CallWarning, type PartIterator } from '../../../shared/llm';
import type { OpenAICompat } from './openai-compat';
import { providerLabel, type OpenAIErrorContext } from './openai-error';
import { OpenAIEventReader } from './openai-event-reader';

/** Where and how a provider's chat completions requests go, without the SDK (`createOpenAI` builds it). */
export interface OpenAIChatEndpoint {
  /** Origin and path (with the query) of `…/chat/completions`. */
  origin: string;
  path: string;
  /** Lower-case names; the SDK's merge order (ours, then the provider's headers), Authorization included. */
  headers: Readonly<Record<string, string>>;
  /** Until the response headers arrive, as the SDK's timeout. */
  timeoutMs: number;
  dispatcher: Dispatcher;
}

export interface OpenAIChatHttpRequest {
  endpoint: OpenAIChatEndpoint;
  body: unknown;
  /** Per-call headers (`CallOptions.headers`), over the endpoint's. */
  headers: Record<string, string> | undefined;
  signal: AbortSignal | undefined;
  warnings: CallWarning[];
  compat: OpenAICompat | undefined;
  errorContext: () => OpenAIErrorContext;
}

/** The answer was a redirect: the SDK's fetch follows those, so the caller retries through it. */
export const REDIRECTED = Symbol('redirected');

const REDIRECT = new Set([301, 302, 303, 307, 308]);

/**
 * One streaming chat completions request over undici's `dispatch`, its event stream parsed as it
 * arrives into parts (`stream-start` first) with no web streams, Response or SDK in between: the
 * SDK's request building, logging and fetch plumbing were about half of the adapter's CPU per call.
 *
 * Fails as the SDK would, with the SDK's own error classes so `convertOpenAIError` gives the same
 * kinds: an HTTP error status is `APIError.generate` over the body (rate limit and Retry-After,
 * auth, context length, content policy…), a failed connection `APIConnectionError`, the timeout
 * `APIConnectionTimeoutError`, an abort `APIUserAbortError`; a wrong content type is a `server`
 * ProviderError. After the headers, failures are parts (a cut connection is `connection`).
 */
export function requestOpenAIChat(request: OpenAIChatHttpRequest): Promise<PartIterator | typeof REDIRECTED> {
  if (request.signal?.aborted === true) return Promise.reject(new APIUserAbortError());
  const payload = JSON.stringify(request.body);
  const headers = requestHeaders(request.endpoint.headers, request.headers, payload);
  return new Promise((resolve, reject) => {
    const handler = new ChatResponseHandler(request, resolve, reject);
    try {
      request.endpoint.dispatcher.dispatch({ origin: request.endpoint.origin, path: request.endpoint.path, method: 'POST', headers, body: payload }, handler);
    } catch (error) {
      handler.fail(new APIConnectionError({ cause: new TypeError('fetch failed', { cause: error }) }));
    }
  });
}

/**
 * undici's handler for one request: settles the promise at the headers (parts, a redirect, or the
 * SDK's error), then feeds the parts queue. A class, so a request makes one object rather than a
 * dozen closures.
 */
class ChatResponseHandler implements Dispatcher.DispatchHandlers {
  private abort: ((reason?: Error) => void) | undefined;
  private settled = false;
  private finished = false;
  private timedOut = false;
  private resume: (() => void) | undefined;
  private paused = false;
  private behind = false;
  private rawHeaders: Buffer[] = [];
  private status = 0;
  private errorBody: Buffer[] | undefined;
  private events: OpenAIEventReader | undefined;
  private readonly queue: PartQueue;
  private readonly timer: NodeJS.Timeout;
  private readonly onAbort = (): void => {
    this.abort?.();
    if (!this.settled) this.fail(new APIUserAbortError());
    else this.end(undefined);
  };

  constructor(
    private readonly request: OpenAIChatHttpRequest,
    private readonly resolve: (result: PartIterator | typeof REDIRECTED) => void,
    private readonly reject: (error: unknown) => void,
  ) {
    this.queue = new PartQueue(this);
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.abort?.();
      this.fail(new APIConnectionTimeoutError());
    }, request.endpoint.timeoutMs);
    request.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  /** The consumer stopped reading: stop the request. */
  onReturn(): void {
    this.finish();
    this.abort?.();
  }

  /** The consumer caught up: read the socket again. */
  onDrain(): void {
    if (this.paused) {
      this.paused = false;
      this.resume?.();
    }
  }

  /** Before the answer: reject. */
  fail(error: unknown): void {
    this.finish();
    if (this.settled) return;
    this.settled = true;
    this.reject(error);
  }

  onConnect(abortRequest: (reason?: Error) => void): void {
    this.abort = abortRequest;
    if (this.request.signal?.aborted === true || this.finished) abortRequest();
  }

  onHeaders(statusCode: number, raw: Buffer[], resumeRead: () => void): boolean {
    if (this.settled) return false;
    this.status = statusCode;
    this.rawHeaders = raw;
    this.resume = resumeRead;
    clearTimeout(this.timer);
    if (REDIRECT.has(statusCode)) {
      this.finish();
      this.settled = true;
      this.abort?.();
      this.resolve(REDIRECTED);
      return false;
    }
    if (statusCode < 200 || statusCode > 299) {
      this.errorBody = [];
      return true;
    }
    const contentType = headerValue(raw, 'content-type');
    // A server that names another content type (an HTML login page, a proxy's error, JSON from a
    // server that ignored `stream`) is not an event stream; one that names none is given the benefit.
    if (contentType !== '' && !contentType.toLowerCase().startsWith('text/event-stream')) {
      const { provider } = this.request.errorContext();
      this.fail(
        new ProviderError({
          kind: 'server',
          status: statusCode,
          provider,
          message: `${providerLabel(provider)} answered with content type "${contentType}" instead of an event stream (text/event-stream); is the base URL an OpenAI-compatible API?`,
        }),
      );
      this.abort?.();
      return false;
    }
    this.settled = true;
    this.events = new OpenAIEventReader({
      compat: this.request.compat,
      headers: () => this.answerHeaders(),
      errorContext: this.request.errorContext,
      emit: (part) => {
        if (!this.queue.push(part)) this.behind = true;
      },
    });
    this.queue.push({ type: 'stream-start', warnings: this.request.warnings });
    this.resolve(this.queue);
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.errorBody !== undefined) {
      this.errorBody.push(Buffer.from(chunk));
      return true;
    }
    if (this.queue.isEnded || this.events === undefined) return true;
    try {
      this.events.push(chunk);
    } catch (error) {
      this.end(error);
      this.abort?.();
      return false;
    }
    // The consumer is behind: stop reading the socket until it catches up.
    if (this.behind && !this.queue.isEnded) {
      this.behind = false;
      this.paused = true;
      return false;
    }
    return true;
  }

  onComplete(): void {
    if (this.errorBody !== undefined) {
      const text = Buffer.concat(this.errorBody).toString('utf8');
      const json = safeJson(text);
      // The SDK's rule: the parsed body when it parses to something truthy, else the text as the message.
      this.fail(APIError.generate(this.status, json as object | undefined, json ? undefined : text, this.answerHeaders()));
      return;
    }
    this.end(undefined);
  }

  onError(error: Error): void {
    const aborted = this.request.signal?.aborted === true;
    if (!this.settled) {
      if (this.timedOut) return;
      if (aborted) return this.fail(new APIUserAbortError());
      return this.fail(new APIConnectionError({ cause: new TypeError('fetch failed', { cause: error }) }));
    }
    // The error answer itself was cut: what the SDK reports from a body it could not read.
    if (this.errorBody !== undefined) return this.fail(APIError.generate(this.status, undefined, 'terminated', this.answerHeaders()));
    this.end(aborted ? undefined : new TypeError('terminated', { cause: error }));
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    clearTimeout(this.timer);
    this.request.signal?.removeEventListener('abort', this.onAbort);
  }

  /** After the headers of a 2xx answer: the last parts. */
  private end(error: unknown): void {
    this.finish();
    if (this.queue.isEnded) return;
    this.events?.end(error, this.request.signal?.aborted === true);
    this.queue.end();
  }

  private answerHeaders(): Headers {
    const out = new Headers();
    const raw = this.rawHeaders;
    for (let i = 0; i + 1 < raw.length; i += 2) out.append(String(raw[i]), String(raw[i + 1]));
    return out;
  }
}

function requestHeaders(base: Readonly<Record<string, string>>, extra: Record<string, string> | undefined, payload: string): Record<string, string> {
  const headers: Record<string, string> = { ...base, 'content-length': String(Buffer.byteLength(payload)) };
  if (extra !== undefined) for (const name of Object.keys(extra)) headers[name.toLowerCase()] = extra[name] as string;
  return headers;
}

function headerValue(raw: Buffer[], name: string): string {
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (String(raw[i]).toLowerCase() === name) return String(raw[i + 1]);
  }
  return '';
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
