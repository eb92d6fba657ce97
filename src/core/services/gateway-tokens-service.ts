import { type GatewayTokenInfo } from '../../shared/contract/gateway';
import { ContractFailure } from '../api/contract-failure';
import { GatewayTokenError, type GatewayTokens } from '../gateway/gateway-tokens';

/** The settings page's view of the gateway's named tokens (the CLI uses `core/gateway` directly). */
export interface GatewayTokensService {
  list(): { tokens: GatewayTokenInfo[] };
  create(name: string): GatewayTokenInfo & { token: string };
  revoke(name: string): { revoked: true };
}

export function createGatewayTokensService(tokens: GatewayTokens): GatewayTokensService {
  const guard = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (error) {
      if (!(error instanceof GatewayTokenError)) throw error;
      throw new ContractFailure(error.code === 'EXISTS' ? 'CONFLICT' : error.code === 'INVALID_NAME' ? 'VALIDATION_FAILED' : 'UNAVAILABLE', error.message);
    }
  };
  return {
    list: () => ({ tokens: guard(() => tokens.list()) }),
    create(name) {
      const { token, info } = guard(() => tokens.create(name));
      return { ...info, token };
    },
    revoke(name) {
      if (!guard(() => tokens.revoke(name))) throw new ContractFailure('NOT_FOUND', `no gateway token named "${name}"`);
      return { revoked: true };
    },
  };
}
