import type { z } from 'zod';
import type { AnyRoute, ContractShape, RequestRoute, StreamRoute } from './route';

export interface HandlerContext {
  /** Aborted when the caller aborts a stream or goes away. */
  signal: AbortSignal;
  /** Who is calling: 'ipc', 'ws', 'cli'. For logs and per-client metering. */
  origin: string;
}

export type HandlerFor<R extends AnyRoute> =
  R extends RequestRoute<infer I, infer O>
    ? (input: z.output<I>, ctx: HandlerContext) => Promise<z.input<O>> | z.input<O>
    : R extends StreamRoute<infer I, infer C>
      ? (input: z.output<I>, ctx: HandlerContext) => AsyncIterable<z.input<C>>
      : never;

/** Exhaustive: a missing or extra handler is a compile error. */
export type HandlersFor<C extends ContractShape> = { [K in keyof C]: HandlerFor<C[K]> };
