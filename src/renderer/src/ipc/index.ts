export { createClient, type ContractClient, type ContractStream, type RequestRoute, type StreamRoute } from './client';
export { ContractCallError } from './contract-errors';
export { selectTransport } from './select-transport';
export type { ConnectionState, StreamFrame, Transport } from './transport';
