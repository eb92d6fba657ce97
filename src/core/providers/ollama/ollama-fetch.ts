import { OllamaContentTypeError, OllamaMalformedLineError, parseRetryAfter } from './ollama-error';

/**
 * One call's `fetch` for the `ollama` client, which takes neither a signal for every request nor
 * a timeout, and hides response headers. It adds, per call:
 * - the caller's AbortSignal, also while waiting for the response headers;
 * - an idle timeout: `timeoutMs` without the headers or without a new chunk of the body;
 * - Retry-After of a failed response, kept for the error mapper;
 * - a content-type check (a 200 that is not JSON fails with a message that says so);
 * - NDJSON lines checked to be JSON (the client would skip a bad one and carry on silently).
 */
export interface OllamaCallFetch {
  fetch: typeof fetch;
  readonly state: { timedOut: boolean; retryAfterMs: number | undefined };
  /** Clears the timer and the listener on the caller's signal. */
  dispose(): void;
}

export function createOllamaCallFetch(options: { signal?: AbortSignal; timeoutMs?: number; baseFetch?: typeof fetch }): OllamaCallFetch {
  const base = options.baseFetch ?? globalThis.fetch;
  const controller = new AbortController();
  const state = { timedOut: false, retryAfterMs: undefined as number | undefined };
  let timer: ReturnType<typeof setTimeout> | undefined;

  const onAbort = () => controller.abort(options.signal?.reason);
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });

  const touch = () => {
    if (options.timeoutMs === undefined) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      state.timedOut = true;
      controller.abort(new DOMException('Ollama did not answer in time', 'TimeoutError'));
    }, options.timeoutMs);
  };
  const dispose = () => {
    clearTimeout(timer);
    timer = undefined;
    options.signal?.removeEventListener('abort', onAbort);
  };

  const callFetch: typeof fetch = async (input, init) => {
    const signals = [controller.signal, init?.signal].filter((s): s is AbortSignal => s !== undefined && s !== null);
    touch();
    const response = await base(input, { ...init, signal: AbortSignal.any(signals) });
    touch();
    if (!response.ok) {
      state.retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
      clearTimeout(timer);
      return response;
    }
    const contentType = response.headers.get('content-type');
    if (contentType !== null && !/json/i.test(contentType)) {
      clearTimeout(timer);
      await response.body?.cancel().catch(() => undefined);
      throw new OllamaContentTypeError(contentType);
    }
    if (response.body === null || contentType === null || !/ndjson/i.test(contentType)) {
      clearTimeout(timer);
      return response;
    }
    const body = response.body.pipeThrough(checkNdjsonLines(touch, () => clearTimeout(timer)));
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };

  return { fetch: callFetch, state, dispose };
}

/** Passes complete NDJSON lines through, failing the stream at the first line that is not JSON. */
function checkNdjsonLines(onChunk: () => void, onEnd: () => void): TransformStream<Uint8Array, Uint8Array> {
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let buffer = '';
  const check = (line: string, controller: TransformStreamDefaultController<Uint8Array>): boolean => {
    if (line.trim() === '') return true;
    try {
      JSON.parse(line);
    } catch {
      controller.error(new OllamaMalformedLineError());
      return false;
    }
    controller.enqueue(encoder.encode(`${line}\n`));
    return true;
  };
  return new TransformStream({
    transform(chunk, controller) {
      onChunk();
      buffer += decoder.decode(chunk, { stream: true });
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) if (!check(line, controller)) return;
    },
    flush(controller) {
      onEnd();
      buffer += decoder.decode();
      check(buffer, controller);
    },
  });
}
