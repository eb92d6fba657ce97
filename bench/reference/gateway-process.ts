/**
 * Switchboard's gateway in its own process for the gateway bench: a fresh data dir whose config
 * has one group over the stub upstream, a token, the real core (every call recorded in SQLite),
 * and `startGateway`. Sends `{ port, token }` over IPC. Args: DATA_DIR UPSTREAM_BASE_URL.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCore } from '../../src/core/app';
import { openGatewayTokens, startGateway } from '../../src/core/gateway';

const [dataDir, upstream] = process.argv.slice(2);
if (!dataDir || !upstream) throw new Error('usage: gateway-process.ts DATA_DIR UPSTREAM_BASE_URL');
writeFileSync(
  join(dataDir, 'switchboard.yaml'),
  `providers:\n  stub: { type: openai-compatible, baseURL: "${upstream}", apiKey: sk-bench-stub, maxRetries: 0 }\ngroups:\n  bench:\n    deployments: [{ provider: stub, model: stub-model }]\n`,
);
const core = await createCore({ dataDir });
const { token } = openGatewayTokens(dataDir).create('bench');
const gateway = await startGateway(core, { port: 0, maxConcurrency: 1024 });
process.send?.({ port: gateway.port, token });
process.on('disconnect', () => {
  void gateway.close().then(() => core.dispose()).then(() => process.exit(0));
});
