import { Agent, type Dispatcher } from 'undici';

/** The `fetch` shape the official SDKs take as an option. */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface KeepAliveFetchOptions {
  /** Default: one undici Agent shared by every provider (keep-alive connections per origin). */
  dispatcher?: Dispatcher;
  /** For the rare requests this fetch does not handle itself (form data, streamed bodies, redirects). Default `globalThis.fetch`. */
  fallback?: FetchLike;
}

let sharedAgent: Agent | undefined;

/** The undici Agent every provider shares (keep-alive connections per origin). */
export function sharedDispatcher(): Dispatcher {
  return (sharedAgent ??= new Agent({ keepAliveTimeout: 10_000 }));
}

/** init keys a plain JSON API call uses; any other (a dispatcher, `redirect`, …) goes to the fallback. */
const HANDLED_INIT = new Set(['method', 'headers', 'body', 'signal', 'duplex']);
const REDIRECT = new Set([301, 302, 303, 307, 308]);
const NULL_BODY = new Set([101, 204, 205, 304]);

/**
 * A `fetch` for the providers' SDKs, built on undici's `dispatch` over keep-alive connections.
 *
 * Why: Node's global fetch costs about 0.3 ms of CPU per call (a Request, its body turned into a
 * stream written in pieces, several web streams, the fetch algorithm's bookkeeping), which is most
 * of what the gateway spends on a call. This one writes the headers and the body in one go, and
 * hands the answer's bytes straight to the Response's stream.
 *
 * It behaves as fetch does for what the SDKs send: a string or byte body, `Headers`, an abort
 * signal (a rejection or a body error with the signal's reason), `TypeError('fetch failed')` with the
 * cause when no answer came, `TypeError('terminated')` when the body was cut. Anything else (form
 * data and streamed uploads, a `Request` input, extra init keys, and any redirect, which is replayed)
 * goes to the fallback, so nothing behaves differently there.
 */
export function keepAliveFetch(options: KeepAliveFetchOptions = {}): FetchLike {
  const fallback = options.fallback ?? ((input, init) => globalThis.fetch(input, init));
  return (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : undefined;
    const body = init?.body;
    const plainBody = body === undefined || body === null || typeof body === 'string' || body instanceof Uint8Array;
    if (url === undefined || !plainBody || !onlyHandledKeys(init)) return fallback(input, init);
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return fallback(input, init);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return fallback(input, init);
    const dispatcher = options.dispatcher ?? sharedDispatcher();
    return dispatchFetch(dispatcher, parsed, init ?? {}, body ?? undefined, () => fallback(input, init));
  };
}

function onlyHandledKeys(init: RequestInit | undefined): boolean {
  if (init === undefined) return true;
  for (const key in init) if (!HANDLED_INIT.has(key) && (init as Record<string, unknown>)[key] !== undefined) return false;
  return true;
}

function flatHeaders(headers: RequestInit['headers']): string[] {
  const flat: string[] = [];
  if (headers === undefined) return flat;
  if (headers instanceof Headers) {
    for (const [name, value] of headers) flat.push(name, value);
  } else if (Array.isArray(headers)) {
    for (const [name, value] of headers) flat.push(name ?? '', value ?? '');
  } else {
    for (const name of Object.keys(headers)) {
      const value = headers[name];
      if (typeof value === 'string') flat.push(name, value);
      else if (value !== undefined) for (const each of value) flat.push(name, each);
    }
  }
  return flat;
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

function dispatchFetch(dispatcher: Dispatcher, url: URL, init: RequestInit, body: string | Uint8Array | undefined, replay: () => Promise<Response>): Promise<Response> {
  const signal = init.signal ?? undefined;
  if (signal?.aborted) return Promise.reject(abortReason(signal));
  const method = (init.method ?? 'GET').toUpperCase();

  return new Promise<Response>((resolve, reject) => {
    let abort: ((reason?: Error) => void) | undefined;
    let controller: ReadableStreamDefaultController<Uint8Array> | undefined;
    let resume: (() => void) | undefined;
    let paused = false;
    let settled = false;
    let finished = false;
    let replaying = false;

    const onAbort = () => {
      const reason = abortReason(signal as AbortSignal);
      if (!settled) {
        settled = true;
        reject(reason);
      } else if (!finished) {
        finished = true;
        controller?.error(reason);
      }
      abort?.(reason instanceof Error ? reason : undefined);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const done = () => signal?.removeEventListener('abort', onAbort);

    const handler: Dispatcher.DispatchHandlers = {
      onConnect(abortRequest) {
        abort = abortRequest;
        if (signal?.aborted) abortRequest();
      },
      onHeaders(status, rawHeaders, resumeRead, statusText) {
        if (settled) return false;
        const headers = new Headers();
        for (let i = 0; i + 1 < rawHeaders.length; i += 2) headers.append(String(rawHeaders[i]), String(rawHeaders[i + 1]));
        if (REDIRECT.has(status) && headers.has('location')) {
          // fetch follows redirects (with its method and body rules): let it, from the start.
          replaying = true;
          settled = true;
          done();
          abort?.();
          replay().then(resolve, reject);
          return false;
        }
        settled = true;
        resume = resumeRead;
        const stream = NULL_BODY.has(status) || method === 'HEAD'
          ? null
          : new ReadableStream<Uint8Array>({
              start(c) {
                controller = c;
              },
              pull() {
                if (paused) {
                  paused = false;
                  resume?.();
                }
              },
              cancel(reason) {
                finished = true;
                done();
                abort?.(reason instanceof Error ? reason : undefined);
              },
            });
        try {
          resolve(new Response(stream, { status, statusText: statusText ?? '', headers }));
        } catch (error) {
          // A status fetch's Response refuses (outside 200–599): an answer no SDK could read.
          done();
          finished = true;
          abort?.();
          reject(new TypeError('fetch failed', { cause: error }));
          return false;
        }
        return true;
      },
      onData(chunk) {
        if (finished || controller === undefined || chunk.length === 0) return true;
        // A copy, as fetch makes: the chunk is a view into a buffer undici and the socket may reuse.
        controller.enqueue(new Uint8Array(chunk));
        if ((controller.desiredSize ?? 0) <= 0) {
          paused = true;
          return false;
        }
        return true;
      },
      onComplete() {
        done();
        if (finished || replaying) return;
        finished = true;
        controller?.close();
      },
      onError(error) {
        done();
        if (replaying) return;
        if (!settled) {
          settled = true;
          reject(signal?.aborted ? abortReason(signal) : new TypeError('fetch failed', { cause: error }));
          return;
        }
        if (finished) return;
        finished = true;
        controller?.error(signal?.aborted ? abortReason(signal) : new TypeError('terminated', { cause: error }));
      },
    };

    try {
      dispatcher.dispatch(
        {
          origin: url.origin,
          path: `${url.pathname}${url.search}`,
          method: method as Dispatcher.HttpMethod,
          headers: flatHeaders(init.headers),
          body: body ?? null,
        },
        handler,
      );
    } catch (error) {
      done();
      settled = true;
      reject(new TypeError('fetch failed', { cause: error }));
    }
  });
}
