import { z } from 'zod';
import { route } from './route';

/** A gateway token as settings show it: never the secret, never its hash. */
export const gatewayTokenInfoSchema = z.object({
  /** Recorded as the `client` of every call made with the token. */
  name: z.string(),
  /** `sbk-…abcd`. */
  hint: z.string(),
  createdAt: z.number(),
});
export type GatewayTokenInfo = z.infer<typeof gatewayTokenInfoSchema>;

const tokenName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { error: 'a token name is 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit' });

/**
 * The gateway as the host runs it. `off`: not asked for; `starting`; `running` at `baseURL`;
 * `port-in-use`: another program holds the port; `failed`: it could not start for another reason
 * (`message` says why). A host that runs no gateway (the one-shot CLI) answers `hosted: false`.
 */
export const gatewayStatusSchema = z.object({
  hosted: z.boolean(),
  /** Asked for: `gateway.enabled` in switchboard.yaml, unless a host flag (`serve --gateway`) said otherwise. */
  enabled: z.boolean(),
  state: z.enum(['off', 'starting', 'running', 'port-in-use', 'failed']),
  /** Where it listens (running) or would listen. */
  host: z.string(),
  port: z.number().int(),
  /** `http://127.0.0.1:5178/v1` while running, else null. */
  baseURL: z.string().nullable(),
  /** Why it is not running when asked for, or null. */
  message: z.string().nullable(),
  /** Set when `host` is not loopback: other machines can reach it. */
  warning: z.string().nullable(),
});
export type GatewayStatus = z.infer<typeof gatewayStatusSchema>;

export const gatewayContract = {
  'gateway.status': route({ input: z.object({}).default({}), output: gatewayStatusSchema }),
  /** Writes `gateway.enabled` to switchboard.yaml (comments kept) and starts or stops a hosted gateway; answers once it has. */
  'gateway.enable': route({ input: z.object({ enabled: z.boolean() }), output: gatewayStatusSchema }),

  'gateway.tokens.list': route({ input: z.object({}).default({}), output: z.object({ tokens: z.array(gatewayTokenInfoSchema) }) }),
  /** The secret is in this answer and nowhere else: show it once. CONFLICT when the name is taken. */
  'gateway.tokens.create': route({ input: z.object({ name: tokenName }), output: gatewayTokenInfoSchema.extend({ token: z.string() }) }),
  /** A running gateway refuses the token from its next request. NOT_FOUND when no token has that name. */
  'gateway.tokens.revoke': route({ input: z.object({ name: z.string().min(1) }), output: z.object({ revoked: z.literal(true) }) }),
} as const;
