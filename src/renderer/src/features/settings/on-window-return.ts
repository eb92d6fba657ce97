/** Where "the user came back to this window" is heard: the window's focus, the document shown again. */
export interface WindowReturnSources {
  window: EventTarget;
  document: EventTarget & { readonly visibilityState: string };
}

/**
 * Calls `onReturn` each time the window regains focus or its page is shown again (a tab switched
 * back to, a window restored), e.g. to re-read what another program may have changed meanwhile.
 * Returns the unsubscribe.
 */
export function onWindowReturn(sources: WindowReturnSources, onReturn: () => void): () => void {
  const onFocus = () => onReturn();
  const onVisibility = () => {
    if (sources.document.visibilityState === 'visible') onReturn();
  };
  sources.window.addEventListener('focus', onFocus);
  sources.document.addEventListener('visibilitychange', onVisibility);
  return () => {
    sources.window.removeEventListener('focus', onFocus);
    sources.document.removeEventListener('visibilitychange', onVisibility);
  };
}
