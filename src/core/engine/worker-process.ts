import { fork, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { workerMessageSchema, type HostMessage, type WorkerMessage } from './protocol';

export interface WorkerSpawnOptions {
  path: string;
  execArgv: string[];
  env: Record<string, string | undefined>;
  onMessage: (message: WorkerMessage) => void;
  onExit: (exit: WorkerExit) => void;
  onLog: (line: string) => void;
  /** A message that failed validation, with its request id when one could be read, so that caller fails rather than waits. */
  onMalformed: (id: number | undefined, problem: string) => void;
}

export interface WorkerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface WorkerProcess {
  readonly pid: number | undefined;
  /** False when the process is gone or its channel closed; the exit handler reports why. */
  send(message: HostMessage): boolean;
  kill(signal?: NodeJS.Signals): void;
  /**
   * An idle worker does not keep the host alive: a CLI that forgets dispose() still exits, and
   * the worker then leaves on its own when its channel closes.
   */
  setBusy(busy: boolean): void;
  readonly exited: Promise<WorkerExit>;
}

/** Forks the worker and turns its channel into parsed messages, log lines and one exit. */
export function spawnWorker(options: WorkerSpawnOptions): WorkerProcess {
  const child: ChildProcess = fork(options.path, [], {
    execArgv: options.execArgv,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    serialization: 'json',
  });
  pipeLines(child.stdout, options.onLog);
  pipeLines(child.stderr, options.onLog);

  child.on('message', (raw: unknown) => {
    // The child is another process: parse what it says before believing it.
    const parsed = workerMessageSchema.safeParse(raw);
    if (parsed.success) {
      options.onMessage(parsed.data);
      return;
    }
    const id = typeof raw === 'object' && raw !== null && 'id' in raw && Number.isInteger(raw.id) ? Number(raw.id) : undefined;
    options.onMalformed(id, `the engine sent a malformed message: ${parsed.error.message}`);
  });

  const exited = new Promise<WorkerExit>((resolve) => {
    let done = false;
    const finish = (exit: WorkerExit) => {
      if (done) return;
      done = true;
      options.onExit(exit);
      resolve(exit);
    };
    child.on('exit', (code, signal) => finish({ code, signal }));
    // A failed spawn emits 'error' and may never emit 'exit'.
    child.on('error', (error) => {
      options.onLog(`engine: worker process error: ${error.message}`);
      if (child.exitCode === null && child.signalCode === null && child.pid === undefined) finish({ code: null, signal: null });
    });
  });

  return {
    get pid() {
      return child.pid;
    },
    send(message) {
      if (!child.connected) return false;
      try {
        return child.send(message);
      } catch {
        return false;
      }
    },
    setBusy(busy) {
      for (const handle of [child, child.channel, child.stdout, child.stderr]) {
        const h = handle as { ref?: () => void; unref?: () => void } | null | undefined;
        if (busy) h?.ref?.();
        else h?.unref?.();
      }
    },
    kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
    exited,
  };
}

function pipeLines(stream: Readable | null, onLine: (line: string) => void): void {
  if (!stream) return;
  createInterface({ input: stream }).on('line', (line) => onLine(line));
}
