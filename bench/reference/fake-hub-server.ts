/**
 * The fake Hugging Face hub (test/hub/fake-hub.ts) in a process of its own, so a download bench
 * measures the client and not a server sharing its event loop. argv: REPO FILE_IN_REPO LOCAL_PATH
 * [SHA256]. Sends `{ url }` over IPC once listening, then `{ servedBytes }` whenever asked.
 */
import { startFakeHub } from '../../test/hub/fake-hub';

const [repo, file, path, sha256] = process.argv.slice(2);
if (repo === undefined || file === undefined || path === undefined) throw new Error('usage: fake-hub-server REPO FILE LOCAL_PATH [SHA256]');
const hub = await startFakeHub({ repos: [{ id: repo, files: [{ path: file, source: path, ...(sha256 !== undefined && { sha256 }) }] }] });
process.on('message', (message: unknown) => {
  const m = message as { type?: string; bytesPerSecond?: number | null };
  if (m.type === 'served') process.send?.({ servedBytes: hub.servedBytes });
  if (m.type === 'throttle') {
    hub.setBytesPerSecond(m.bytesPerSecond ?? undefined);
    process.send?.({ throttled: true });
  }
});
process.on('disconnect', () => void hub.close().then(() => process.exit(0)));
process.send?.({ url: hub.url });
