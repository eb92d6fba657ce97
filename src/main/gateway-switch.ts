import { type TrayGateway } from './tray-controller';

/** What the switch needs of a running gateway (core/gateway's RunningGateway). */
export interface StoppableGateway {
  baseURL: string;
  close(): Promise<void>;
}

/**
 * The app's gateway on/off switch for the tray: off at start (the desktop app serves no HTTP
 * until asked), one start or stop at a time, and a start that fails leaves it off with the error
 * thrown to the caller (the tray logs it).
 */
export function createGatewaySwitch(deps: { start: () => Promise<StoppableGateway>; log: (message: string) => void }): TrayGateway & { stop(): Promise<void> } {
  let running: StoppableGateway | null = null;
  let queue: Promise<unknown> = Promise.resolve();
  const setRunning = (run: boolean): Promise<void> => {
    const work = async () => {
      if (run && running === null) {
        running = await deps.start();
        deps.log(`gateway listening on ${running.baseURL}`);
      } else if (!run && running !== null) {
        const stopping = running;
        running = null;
        await stopping.close();
        deps.log('gateway stopped');
      }
    };
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };
  return { running: () => running !== null, setRunning, stop: () => setRunning(false) };
}
