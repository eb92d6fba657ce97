import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { createClient, selectTransport } from './ipc';
import { droppedFilePath } from './ipc/dropped-file-path';
import { createAppStores } from './stores/app-stores';
import { StoresContext } from './stores/context';
import './styles/app.css';

function localStorageOrNone(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined; // disabled storage: the model choice just isn't remembered
  }
}

const client = createClient(selectTransport(window));
const storage = localStorageOrNone();
const stores = createAppStores(client, { ...(storage ? { storage } : {}), pathOf: droppedFilePath(window) });
void stores.loadAll();

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <StoresContext value={stores}>
      <App />
    </StoresContext>
  </StrictMode>,
);
