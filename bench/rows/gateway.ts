import { PORTKEY_VERSION, measureGateways } from '../gateway-measure';
import { defineRow, higherIsBetter } from '../types';

/**
 * Requests per second at 10 connections through Switchboard's gateway (routed, every call recorded
 * in SQLite) against Portkey's open-source gateway, in front of the same stub upstream, measured
 * in the same run (bench/gateway-measure.ts). Target: ≥ 3× Portkey's req/s, and streaming that works.
 */
export default defineRow({
  name: 'gateway',
  description: `req/s at 10 connections: Switchboard's gateway vs Portkey ${PORTKEY_VERSION} (npx), stub upstream on loopback`,
  async run({ log }) {
    const m = await measureGateways(log);
    const note =
      `direct ${m.direct.rps.toFixed(0)} req/s; recorded ${m.switchboard.recorded}/${m.switchboard.requests} calls; ` +
      `p50 at 10 conns: ours ${m.switchboard.p50LoadedMs.toFixed(2)} ms, Portkey ${m.portkey.p50LoadedMs.toFixed(2)} ms; ` +
      `server CPU per request: ours ${m.switchboard.cpuMsPerRequest.toFixed(2)} ms, Portkey ${m.portkey.cpuMsPerRequest.toFixed(2)} ms, the stub alone ${m.direct.cpuMsPerRequest.toFixed(3)} ms; ` +
      `streaming: ours ${m.switchboard.streaming}, Portkey ${m.portkey.error !== undefined ? `did not run (${m.portkey.error})` : m.portkey.streaming}`;
    const result = higherIsBetter(m.switchboard.rps, m.portkey.rps, 'req/s', 3, note);
    // Streaming through us must work, and every request must have its row.
    return { ...result, pass: result.pass && m.switchboard.streaming === 'ok' && m.switchboard.recorded === m.switchboard.requests };
  },
});
