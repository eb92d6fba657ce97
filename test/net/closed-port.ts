import { holdPort } from './hold-port';

/** A port on 127.0.0.1 that nothing listens on (held, then released): a connection to it is refused. */
export async function closedPort(): Promise<number> {
  const held = await holdPort();
  await held.release();
  return held.port;
}
