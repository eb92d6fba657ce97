// `electron` for the built main bundle under plain Node (see electron-hooks.mjs).
const fake = globalThis.__switchboardFakeElectron;
if (!fake) throw new Error('the fake electron is not installed (run through bundle-driver.mts)');
export const { app, BrowserWindow, ipcMain, session, shell, dialog, Tray, Menu, Notification, safeStorage } = fake.module;
export default fake.module;
