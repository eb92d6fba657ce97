export { startGateway, coreBackend, exposedBindWarning, type GatewayCore, type StartGatewayOptions } from './start-gateway';
export { startGatewayServer, GATEWAY_DEFAULTS, type GatewayServerOptions, type RunningGateway } from './gateway-server';
export { openGatewayTokens, GatewayTokenError, TOKENS_FILE, type GatewayTokens, type GatewayTokenInfo } from './gateway-tokens';
export type { GatewayBackend, GatewayCall, GatewayTarget, GatewayEmbedRequest, GatewayEmbedResult } from './gateway-backend';
