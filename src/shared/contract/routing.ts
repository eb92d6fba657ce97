import { z } from 'zod';
import { route } from './route';

/** A name the router answers besides `provider/model` refs: a configured group, an alias, or `auto`. */
export const routeChoiceSchema = z.object({
  name: z.string(),
  kind: z.enum(['group', 'alias']),
  /** A group's deployments as `provider/model`; what an alias names. Empty for `auto` (every deployment). */
  targets: z.array(z.string()),
  /** A group's strategy; null for an alias. */
  strategy: z.string().nullable(),
});
export type RouteChoice = z.infer<typeof routeChoiceSchema>;

export const routingContract = {
  /** The groups and aliases of switchboard.yaml, for the model picker. */
  'routing.groups': route({
    input: z.object({}).default({}),
    output: z.object({ groups: z.array(routeChoiceSchema) }),
  }),
} as const;
