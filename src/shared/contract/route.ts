import { z } from 'zod';

/** A request/response route: one input, one output. */
export interface RequestRoute<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly kind: 'request';
  readonly input: I;
  readonly output: O;
}

/** A stream route: one input, then any number of chunks, abortable by the caller. */
export interface StreamRoute<I extends z.ZodType = z.ZodType, C extends z.ZodType = z.ZodType> {
  readonly kind: 'stream';
  readonly input: I;
  readonly chunk: C;
}

export type AnyRoute = RequestRoute | StreamRoute;
export type ContractShape = Record<string, AnyRoute>;

export function route<I extends z.ZodType, O extends z.ZodType>(def: { input: I; output: O }): RequestRoute<I, O> {
  return { kind: 'request', ...def };
}

export function streamRoute<I extends z.ZodType, C extends z.ZodType>(def: { input: I; chunk: C }): StreamRoute<I, C> {
  return { kind: 'stream', ...def };
}

export const errorCodeSchema = z.enum([
  'VALIDATION_FAILED',
  'UNKNOWN_ROUTE',
  'NOT_FOUND',
  'CONFLICT',
  'UNAVAILABLE',
  'PROVIDER_ERROR',
  'ABORTED',
  'UNAUTHORIZED',
  'INTERNAL',
]);
export type ErrorCode = z.infer<typeof errorCodeSchema>;

export const contractErrorSchema = z.object({
  code: errorCodeSchema,
  message: z.string(),
  data: z.unknown().optional(),
});
export type ContractError = z.infer<typeof contractErrorSchema>;

/** What every handler answers with. Nothing throws across the boundary. */
export type Result<T> = { ok: true; data: T } | { ok: false; error: ContractError };

export const ok = <T>(data: T): Result<T> => ({ ok: true, data });
export const fail = (code: ErrorCode, message: string, data?: unknown): Result<never> => ({
  ok: false,
  error: data === undefined ? { code, message } : { code, message, data },
});

/** Routes of a given kind, for typing callers. */
export type RequestRouteName<C extends ContractShape> = {
  [K in keyof C]: C[K] extends RequestRoute ? K : never;
}[keyof C] &
  string;
export type StreamRouteName<C extends ContractShape> = {
  [K in keyof C]: C[K] extends StreamRoute ? K : never;
}[keyof C] &
  string;

/** What the caller sends (before defaults are applied) and gets back (after parsing). */
export type InputOf<R extends AnyRoute> = z.input<R['input']>;
export type OutputOf<R extends AnyRoute> = R extends RequestRoute<z.ZodType, infer O> ? z.output<O> : never;
export type ChunkOf<R extends AnyRoute> = R extends StreamRoute<z.ZodType, infer C> ? z.output<C> : never;
