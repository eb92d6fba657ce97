import { z } from 'zod';
import { ContractFailure } from '../../core/api/contract-failure';
import { type Dispatcher, createDispatcher } from '../../core/api/dispatcher';
import { type HandlersFor, route, streamRoute } from '../../shared/contract';

/** A tiny contract that exercises every path of a transport, bound by the real dispatcher. */
export const testContract = {
  echo: route({ input: z.object({ text: z.string().max(1000) }), output: z.object({ text: z.string() }) }),
  missing: route({ input: z.object({}).default({}), output: z.object({}) }),
  count: streamRoute({ input: z.object({ n: z.number().int().nonnegative().max(100_000) }), chunk: z.object({ i: z.number() }) }),
  /** One chunk, then waits for the abort and reports it. */
  hang: streamRoute({ input: z.object({ tag: z.string() }), chunk: z.object({ i: z.number() }) }),
  /** One chunk, then throws. */
  explode: streamRoute({ input: z.object({}).default({}), chunk: z.object({ i: z.number() }) }),
} as const;

export interface TestDispatcher {
  dispatcher: Dispatcher;
  /** Resolves when the `hang` stream with this tag has seen its abort signal. */
  aborted(tag: string): Promise<void>;
  /** Origins handlers were called with. */
  origins: string[];
}

export function createTestDispatcher(): TestDispatcher {
  const waiters = new Map<string, { promise: Promise<void>; resolve: () => void }>();
  const waiter = (tag: string) => {
    let entry = waiters.get(tag);
    if (entry === undefined) {
      let resolve = () => {};
      const promise = new Promise<void>((r) => (resolve = r));
      entry = { promise, resolve };
      waiters.set(tag, entry);
    }
    return entry;
  };
  const origins: string[] = [];

  const handlers: HandlersFor<typeof testContract> = {
    echo: (input, ctx) => {
      origins.push(ctx.origin);
      return { text: input.text };
    },
    missing: () => {
      throw new ContractFailure('NOT_FOUND', 'there is nothing here');
    },
    count: async function* (input) {
      for (let i = 0; i < input.n; i += 1) yield { i };
    },
    hang: async function* (input, ctx) {
      yield { i: 0 };
      await new Promise<void>((resolve) => {
        if (ctx.signal.aborted) resolve();
        ctx.signal.addEventListener('abort', () => resolve(), { once: true });
      });
      waiter(input.tag).resolve();
      yield { i: -1 };
    },
    explode: async function* () {
      yield { i: 0 };
      throw new ContractFailure('UNAVAILABLE', 'the engine went away');
    },
  };

  return {
    dispatcher: createDispatcher(testContract, handlers),
    aborted: (tag) => waiter(tag).promise,
    origins,
  };
}
