import type { z } from 'zod';
import type { Dispatcher } from '../core/api/dispatcher';
import { type Contract, type ContractError, type RequestRouteName, contract } from '../shared/contract';
import { fromContractError } from './cli-error';
import { CLI_ORIGIN } from './with-core';

type RequestRoutes = RequestRouteName<Contract>;
type OutputFor<R extends RequestRoutes> = Contract[R] extends { output: infer O extends z.ZodType } ? z.output<O> : never;

/** One contract request from the CLI: the data, typed by the route's output schema, or a CliError. */
export async function requestData<R extends RequestRoutes>(
  dispatcher: Dispatcher,
  route: R,
  input: unknown,
  hints: Partial<Record<ContractError['code'], string>> = {},
): Promise<OutputFor<R>> {
  const result = await dispatcher.request(route, input, CLI_ORIGIN);
  if (!result.ok) throw fromContractError(result.error, hints);
  const def = contract[route] as { output: z.ZodType };
  return def.output.parse(result.data) as OutputFor<R>;
}
