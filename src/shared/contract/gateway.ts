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

export const gatewayContract = {
  'gateway.tokens.list': route({ input: z.object({}).default({}), output: z.object({ tokens: z.array(gatewayTokenInfoSchema) }) }),
  /** The secret is in this answer and nowhere else: show it once. CONFLICT when the name is taken. */
  'gateway.tokens.create': route({ input: z.object({ name: tokenName }), output: gatewayTokenInfoSchema.extend({ token: z.string() }) }),
  /** A running gateway refuses the token from its next request. NOT_FOUND when no token has that name. */
  'gateway.tokens.revoke': route({ input: z.object({ name: z.string().min(1) }), output: z.object({ revoked: z.literal(true) }) }),
} as const;
