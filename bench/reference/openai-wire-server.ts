/**
 * The OpenAI wire server in its own process, for the openai-adapter-overhead row: serving the
 * stream from another process keeps its CPU off the event loop being measured.
 *
 * argv: a plan of `COUNTxCHUNKS` items, e.g. `52x2000 202x4`: the first 52 chat requests are answered
 * with 2,000 small text deltas, the next 202 with 4 (each with usage and `stop`).
 * IPC out: { type: 'ready', baseURL }.
 */
import { startOpenAIWire } from '../../test/wire/openai-wire';
import type { Scenario } from '../../test/wire/scenario';

const server = await startOpenAIWire();
for (const item of process.argv.slice(2)) {
  const [count, chunks] = item.split('x').map(Number);
  if (!count || !chunks) throw new Error(`usage: openai-wire-server COUNTxCHUNKS…; got ${item}`);
  const scenario: Scenario = { text: Array.from({ length: chunks }, (_, i) => `t${i % 10} `), usage: { input: 12, output: chunks }, finish: 'stop' };
  server.enqueue(...Array.from({ length: count }, () => scenario));
}
process.send?.({ type: 'ready', baseURL: server.baseURL });
process.on('disconnect', () => {
  void server.close().then(() => process.exit(0));
});
