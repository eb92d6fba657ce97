import type { PreloadBridge } from '../../../shared/contract';

/**
 * How to learn a dropped File's path on disk: the desktop app's preload knows (webUtils); a
 * browser page never does, so there the answer is null for every file and the UI says why.
 */
export function droppedFilePath(host: { switchboard?: PreloadBridge }): (file: File) => string | null {
  const bridge = host.switchboard;
  if (bridge === undefined || typeof bridge.filePath !== 'function') return () => null;
  const filePath = bridge.filePath.bind(bridge);
  return (file) => {
    try {
      const path = filePath(file);
      return typeof path === 'string' && path !== '' ? path : null;
    } catch {
      return null; // not a file from disk (e.g. dragged out of another page)
    }
  };
}
