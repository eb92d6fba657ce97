/** A host that uses the engine and never disposes it: it must still exit, and take the worker along. */
import { createEngine } from '../engine-client';

const engine = createEngine({ gpu: false, threads: 1 });
const status = await engine.status();
process.stdout.write(`${JSON.stringify({ workerPid: status.pid })}\n`);
