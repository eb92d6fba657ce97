export { startServer, WS_PATH, type RunningServer, type StartServerOptions } from './start-server';
export { bindWebSocket, PROTOCOL_ERROR_EVENT, type WsTransport, type WsTransportOptions } from './ws-transport';
export { runServe, type ServeOptions } from './serve';
export { ensureRendererBuild, DEFAULT_RENDERER_DIR } from './renderer-build';
