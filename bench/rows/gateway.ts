import { PORTKEY_VERSION, measureGateways } from '../gateway-measure';
import { defineRow, higherIsBetter } from '../types';

/**
 * Requests per second at 10 connections through Switchboard's gateway (routed, every call recorded
 * in SQLite) against Portkey's open-source gateway, in front of the same stub upstream, measured
 * in the same run (bench/gateway-measure.ts). Ours is the app's build; the note gives the same
 * gateway run through tsx, as `switchboard serve` runs it. Target: ≥ 3× Portkey's req/s, and
 * streaming that works.
 */
export default defineRow({
  name: 'gateway',
  description: `req/s at 10 connections: Switchboard's gateway vs Portkey ${PORTKEY_VERSION} (npx), stub upstream on loopback`,
  async run({ log }) {
    const m = await measureGateways(log);
    const tsx = m.switchboardTsx;
    const note =
      `direct ${m.direct.rps.toFixed(0)} req/s; through tsx (switchboard serve) ${tsx.rps.toFixed(0)} req/s, ${(tsx.rps / m.portkey.rps).toFixed(2)}×, ${tsx.cpuMsPerRequest.toFixed(2)} ms CPU per request; ` +
      `recorded ${m.switchboard.recorded}/${m.switchboard.requests} and ${tsx.recorded}/${tsx.requests} calls; ` +
      `p50 at 10 conns: ours ${m.switchboard.p50LoadedMs.toFixed(2)} ms, Portkey ${m.portkey.p50LoadedMs.toFixed(2)} ms; ` +
      `server CPU per request: ours ${m.switchboard.cpuMsPerRequest.toFixed(2)} ms, Portkey ${m.portkey.cpuMsPerRequest.toFixed(2)} ms, the stub alone ${m.direct.cpuMsPerRequest.toFixed(3)} ms; ` +
      `streaming: ours ${m.switchboard.streaming}, Portkey ${m.portkey.error !== undefined ? `did not run (${m.portkey.error})` : m.portkey.streaming}; ` +
      `a bare forwarding proxy (the floor: no checks, no recording) ${m.bareProxy.rps.toFixed(0)} req/s, ${m.bareProxy.cpuMsPerRequest.toFixed(3)} ms CPU per request`;
    const result = higherIsBetter(m.switchboard.rps, m.portkey.rps, 'req/s', 3, note);
    // Streaming through us must work, and every request must have its row.
    const allRecorded = [m.switchboard, tsx].every((g) => g.streaming === 'ok' && g.recorded === g.requests);
    return { ...result, pass: result.pass && allRecorded };
  },
});
