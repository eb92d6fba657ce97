import { useContext } from 'react';
import { useStore } from 'zustand';
import { StoresContext } from '../../stores/context';
import type { EngineState } from './engine-store';

/** The engine store of the app's stores (app-stores builds it), by selector. */
export function useEngine<T>(select: (state: EngineState) => T): T {
  const stores = useContext(StoresContext);
  if (stores === null) throw new Error('StoresContext is missing: render inside <StoresContext value={…}>');
  return useStore(stores.engine, select);
}
