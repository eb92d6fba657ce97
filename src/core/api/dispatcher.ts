import { type z } from 'zod';
import {
  type ContractError,
  type ContractShape,
  type HandlerContext,
  type HandlersFor,
  type Result,
  fail,
  ok,
} from '../../shared/contract';
import { ProviderError } from '../../shared/llm';
import { ContractFailure } from './contract-failure';

export interface StreamHandle {
  /** Chunks, already validated against the route's chunk schema. Ends when the handler ends. */
  chunks: AsyncIterable<unknown>;
  abort(): void;
}

export interface Dispatcher {
  request(route: string, input: unknown, origin: string): Promise<Result<unknown>>;
  /** Opens a stream; a bad route or input fails here, before any chunk. */
  stream(route: string, input: unknown, origin: string): Result<StreamHandle>;
  /** Turns whatever a stream's handler threw into the error that ends the stream. */
  streamError(error: unknown): ContractError;
}

export interface DispatcherOptions {
  /** Called for unexpected errors (bugs), never for ContractFailure. */
  onInternalError?: (route: string, error: unknown) => void;
}

/**
 * Binds a contract to its handlers. Every input is parsed with the route's zod schema
 * here, whatever transport it came from; nothing thrown inside a handler escapes.
 */
export function createDispatcher<C extends ContractShape>(
  contract: C,
  handlers: HandlersFor<C>,
  options: DispatcherOptions = {},
): Dispatcher {
  const toError = (routeName: string, error: unknown): ContractError => {
    if (error instanceof ContractFailure) {
      return error.data === undefined
        ? { code: error.code, message: error.message }
        : { code: error.code, message: error.message, data: error.data };
    }
    if (error instanceof ProviderError) {
      return { code: error.kind === 'aborted' ? 'ABORTED' : 'PROVIDER_ERROR', message: error.message, data: error.toData() };
    }
    options.onInternalError?.(routeName, error);
    return { code: 'INTERNAL', message: `internal error in ${routeName}` };
  };

  const lookup = (routeName: string, kind: 'request' | 'stream', input: unknown) => {
    const def = Object.hasOwn(contract, routeName) ? contract[routeName] : undefined;
    if (def === undefined || def.kind !== kind) {
      return fail('UNKNOWN_ROUTE', `no ${kind} route named "${routeName}"`);
    }
    const parsed = def.input.safeParse(input);
    if (!parsed.success) {
      return fail('VALIDATION_FAILED', `${routeName}: ${formatIssues(parsed.error)}`, {
        issues: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
      });
    }
    const handler = (handlers as Record<string, unknown>)[routeName] as (
      input: unknown,
      ctx: HandlerContext,
    ) => unknown;
    return ok({ def, handler, input: parsed.data as unknown });
  };

  return {
    async request(routeName, input, origin) {
      const found = lookup(routeName, 'request', input);
      if (!found.ok) return found;
      const { def, handler } = found.data;
      try {
        const controller = new AbortController();
        const output = await handler(found.data.input, { signal: controller.signal, origin });
        const checked = (def as { output: z.ZodType }).output.safeParse(output);
        if (!checked.success) {
          options.onInternalError?.(routeName, checked.error);
          return fail('INTERNAL', `${routeName} produced an invalid result`);
        }
        return ok(checked.data);
      } catch (error) {
        return { ok: false, error: toError(routeName, error) };
      }
    },

    stream(routeName, input, origin) {
      const found = lookup(routeName, 'stream', input);
      if (!found.ok) return found;
      const { def, handler } = found.data;
      const controller = new AbortController();
      const chunkSchema = (def as { chunk: z.ZodType }).chunk;
      async function* chunks(): AsyncGenerator<unknown> {
        const iterable = handler(found.ok ? found.data.input : undefined, {
          signal: controller.signal,
          origin,
        }) as AsyncIterable<unknown>;
        for await (const chunk of iterable) {
          const checked = chunkSchema.safeParse(chunk);
          if (!checked.success) {
            options.onInternalError?.(routeName, checked.error);
            throw new ContractFailure('INTERNAL', `${routeName} produced an invalid chunk`);
          }
          yield checked.data;
        }
      }
      return ok({ chunks: chunks(), abort: () => controller.abort() });
    },

    streamError(error) {
      return toError('stream', error);
    },
  };
}

function formatIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => (i.path.length > 0 ? `${i.path.map(String).join('.')}: ${i.message}` : i.message))
    .join('; ');
}
