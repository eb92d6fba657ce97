import { measureGateways } from '../gateway-measure';
import { defineRow } from '../types';

/** Budget for the latency the gateway adds to one request, sequentially (1 connection), at p50. */
const BUDGET_MS = 0.3;

/**
 * Latency added per request at 1 connection (p50 through the gateway minus p50 straight to the stub
 * upstream), Switchboard's gateway (the app's build; tsx's in the note) against Portkey's, from the
 * same run as the `gateway` row.
 */
export default defineRow({
  name: 'gateway-latency',
  description: 'ms added per request at 1 connection (p50 vs the upstream directly): Switchboard vs Portkey',
  async run({ log }) {
    const m = await measureGateways(log);
    const ours = m.addedMs.switchboard;
    const reference = m.addedMs.portkey;
    return {
      ours,
      reference,
      unit: 'ms added',
      ratio: reference / ours,
      target: `≤ ${BUDGET_MS} ms`,
      pass: ours <= BUDGET_MS,
      note: `p50 direct ${m.direct.p50Ms.toFixed(3)} ms, ours ${m.switchboard.p50Ms.toFixed(3)} ms (through tsx, as switchboard serve runs it: ${m.switchboardTsx.p50Ms.toFixed(3)} ms, +${m.addedMs.switchboardTsx.toFixed(2)} ms), Portkey ${m.portkey.p50Ms.toFixed(3)} ms; a bare forwarding proxy (the floor of one more hop in Node here: no checks, no recording) adds ${m.addedMs.bareProxy.toFixed(2)} ms`,
    };
  },
});
