export type ShortcutAction = 'new-chat' | 'focus-composer' | 'stop' | 'switch-model' | 'search' | 'help';

export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

/** The shortcuts, as the help overlay lists them. `mod` is Ctrl, or ⌘ on a Mac. */
export const SHORTCUTS: readonly { action: ShortcutAction; keys: string; what: string }[] = [
  { action: 'new-chat', keys: 'Mod+Shift+O', what: 'New chat' },
  { action: 'focus-composer', keys: 'Shift+Esc  or  /', what: 'Focus the message box' },
  { action: 'stop', keys: 'Esc', what: 'Stop the answer being written' },
  { action: 'switch-model', keys: 'Mod+Shift+M', what: 'Switch model (focus the model picker)' },
  { action: 'search', keys: 'Mod+K', what: 'Search conversations' },
  { action: 'help', keys: '?', what: 'Show these shortcuts' },
];

/**
 * Which shortcut a key press is, if any. `typing` says focus is in a text field: then bare keys
 * (`/`, `?`) are text, and only chords with a modifier (or Shift+Esc, Esc) act.
 * Ctrl+Shift+N would be a browser's private window, so new chat is Ctrl+Shift+O.
 */
export function shortcutFor(press: KeyPress, context: { typing: boolean; streaming: boolean }): ShortcutAction | null {
  const mod = press.ctrlKey || press.metaKey;
  const key = press.key.length === 1 ? press.key.toLowerCase() : press.key;
  if (mod && press.shiftKey && !press.altKey && key === 'o') return 'new-chat';
  if (mod && press.shiftKey && !press.altKey && key === 'm') return 'switch-model';
  if (mod && !press.shiftKey && !press.altKey && key === 'k') return 'search';
  if (key === 'Escape' && press.shiftKey && !mod) return 'focus-composer';
  if (key === 'Escape' && !press.shiftKey && !mod && context.streaming) return 'stop';
  if (context.typing || mod || press.altKey) return null;
  if (key === '/') return 'focus-composer';
  if (key === '?') return 'help';
  return null;
}

/** Whether focus is somewhere typing goes (an input, a textarea, a select, an editable element). */
export function isTypingTarget(target: { tagName?: string; isContentEditable?: boolean } | null): boolean {
  if (target === null) return false;
  const tag = target.tagName?.toUpperCase();
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || target.isContentEditable === true;
}
