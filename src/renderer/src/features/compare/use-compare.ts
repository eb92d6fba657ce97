import { useContext } from 'react';
import { useStore } from 'zustand';
import type { ComposerAttachmentsState } from '../../stores/composer-attachments-store';
import type { CompareState } from '../../stores/compare-store';
import { StoresContext } from '../../stores/context';

function useStores() {
  const stores = useContext(StoresContext);
  if (stores === null) throw new Error('StoresContext is missing: render inside <StoresContext value={…}>');
  return stores;
}

/** The compare store of the app's stores (app-stores builds it), by selector. */
export const useCompare = <T>(select: (state: CompareState) => T): T => useStore(useStores().compare, select);

/** The Compare page's own draft images (the chat composer keeps its own). */
export const useCompareAttachments = <T>(select: (state: ComposerAttachmentsState) => T): T => useStore(useStores().compareAttachments, select);
