/** A self-check process that dies natively at its first decode, as node-llama-cpp's CUDA build did on an H100 (STACK-NOTES). */
process.stderr.write('CUDA error: the provided PTX was compiled with an unsupported toolchain.\n');
process.send?.({ type: 'phase', phase: 'decoding' }, () => process.kill(process.pid, 'SIGABRT'));
