import { z } from 'zod';
import { createDispatcher } from '../../core/api/dispatcher';
import { ContractFailure } from '../../core/api/contract-failure';
import { route, streamRoute } from '../../shared/contract';

/**
 * A small real dispatcher for the bridge tests: one request route, one stream route whose
 * handler can be driven step by step, one that fails midway. Test-only.
 */
export const testContract = {
  'echo.upper': route({ input: z.object({ text: z.string() }), output: z.object({ text: z.string() }) }),
  'count.up': streamRoute({ input: z.object({ to: z.number().int().min(0) }), chunk: z.object({ n: z.number() }) }),
  'count.wait': streamRoute({ input: z.object({}), chunk: z.object({ n: z.number() }) }),
  'count.fail': streamRoute({ input: z.object({}), chunk: z.object({ n: z.number() }) }),
} as const;

export function createTestDispatcher() {
  const waiting = { aborted: 0 };
  const dispatcher = createDispatcher(testContract, {
    'echo.upper': ({ text }) => ({ text: text.toUpperCase() }),
    async *'count.up'({ to }) {
      for (let n = 1; n <= to; n += 1) yield { n };
    },
    // yields one chunk, then waits for the abort and ends with a last chunk (like a final usage)
    async *'count.wait'(_input, { signal }) {
      yield { n: 1 };
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      waiting.aborted += 1;
      yield { n: 2 };
    },
    async *'count.fail'() {
      yield { n: 1 };
      throw new ContractFailure('UNAVAILABLE', 'engine went away');
    },
  });
  return { dispatcher, waiting };
}
