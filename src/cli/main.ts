import { processIo } from './cli-io';
import { runCli } from './run-cli';

// Entry point of bin/switchboard.mjs.
process.exitCode = await runCli(process.argv.slice(2), processIo());

// Commands dispose the core (and so the engine process) before returning. If some
// handle still holds the loop open, don't hang the shell: leave shortly after.
setTimeout(() => process.exit(), 3000).unref();
