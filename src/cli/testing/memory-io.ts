import type { CliIo } from '../cli-io';

/** A CliIo that keeps what a command prints, for in-process CLI tests. */
export function memoryIo(): CliIo & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return {
    out: async (text) => void (out += text),
    err: (text) => void (err += text),
    onInterrupt: () => () => undefined,
    stdout: () => out,
    stderr: () => err,
  };
}
