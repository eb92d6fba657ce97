/**
 * Runs the BUILT main bundle (`<bundle>/main/index.js`) under plain Node with a fake
 * `electron`, and drives the chat flow through its IPC bridge: list models, stream an
 * answer, stream another and abort it, quit. The engine is forked from the bundled
 * `engine-worker.js`, as in the app. Prints one JSON line with what it saw.
 *
 *   node --import tsx src/main/testing/bundle-driver.mts <bundleDir> <dataDir>
 */
import { register } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ServerFrame } from '../../shared/contract';
import { createFakeElectron } from './fake-electron';

const [bundleDir, dataDir] = process.argv.slice(2);
if (!bundleDir || !dataDir) throw new Error('usage: bundle-driver.mts <bundleDir> <dataDir>');

const fake = createFakeElectron({ appData: join(dataDir, 'appData'), appPath: process.cwd() });
(globalThis as Record<string, unknown>).__switchboardFakeElectron = fake;
register(new URL('./electron-hooks.mjs', import.meta.url).href);
process.env.SWITCHBOARD_DATA_DIR = dataDir;

async function until(check: () => boolean, what: string, ms = 60_000) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

await import(pathToFileURL(join(bundleDir, 'main', 'index.js')).href);
await until(() => fake.BrowserWindow.all.length === 1 && fake.ipcMain.handlers.size > 0, 'the window and the bridge');
const win = fake.BrowserWindow.all[0]!;
const contents = win.webContents;
const framesOf = (id: string) =>
  contents.sent.map(([, frame]) => frame as ServerFrame).filter((f) => f.t !== 'event' && f.id === id);
const chunkTypes = (id: string) =>
  framesOf(id).map((f) => (f.t === 'chunk' ? (f.data as { type: string }).type : f.t));

const models = (await fake.ipcMain.invoke('sb:request', contents.ipcEvent(), 'models.local.list', {})) as {
  ok: boolean;
  data: { id: string }[];
};
const model = models.data[0]?.id ?? 'none';

fake.ipcMain.emit('sb:stream', contents.ipcEvent(), 'done-1', 'chat.send', { model, text: 'Hello', maxOutputTokens: 24 });
await until(() => framesOf('done-1').some((f) => f.t === 'end'), 'the first answer');

fake.ipcMain.emit('sb:stream', contents.ipcEvent(), 'stop-1', 'chat.send', { model, text: 'Go on', maxOutputTokens: 100_000 });
await until(() => chunkTypes('stop-1').includes('text-delta'), 'text of the second answer');
fake.ipcMain.emit('sb:abort', contents.ipcEvent(), 'stop-1');
await until(() => framesOf('stop-1').some((f) => f.t === 'end'), 'the end of the aborted answer');
const finish = framesOf('stop-1').find((f) => f.t === 'chunk' && (f.data as { type: string }).type === 'finish');

fake.app.quit();
await until(() => fake.state.quit, 'quit after dispose', 20_000);

console.log(
  JSON.stringify({
    entryUrl: contents.url,
    preload: (win.options.webPreferences as { preload: string }).preload,
    models: models.data.map((m) => m.id),
    done: chunkTypes('done-1'),
    doneEnd: framesOf('done-1').at(-1),
    stopped: (finish?.t === 'chunk' && (finish.data as { finishReason?: unknown }).finishReason) || null,
    stopEnd: framesOf('stop-1').at(-1),
    quitRequests: fake.state.quitRequests,
    exitCodes: fake.state.exitCodes,
  }),
);
process.exit(0);
