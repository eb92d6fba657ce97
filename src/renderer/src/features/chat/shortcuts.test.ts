import { describe, expect, it } from 'vitest';
import { type KeyPress, isTypingTarget, shortcutFor } from './shortcuts';

const press = (key: string, mods: Partial<Omit<KeyPress, 'key'>> = {}): KeyPress => ({ key, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });
const idle = { typing: false, streaming: false };
const typing = { typing: true, streaming: false };

describe('shortcutFor', () => {
  it('maps chords with Ctrl or ⌘, typing or not', () => {
    expect(shortcutFor(press('O', { ctrlKey: true, shiftKey: true }), typing)).toBe('new-chat');
    expect(shortcutFor(press('o', { metaKey: true, shiftKey: true }), idle)).toBe('new-chat');
    expect(shortcutFor(press('M', { ctrlKey: true, shiftKey: true }), typing)).toBe('switch-model');
    expect(shortcutFor(press('k', { metaKey: true }), typing)).toBe('search');
    expect(shortcutFor(press('k', { ctrlKey: true, altKey: true }), idle)).toBeNull();
  });

  it('stops only while an answer streams, and Shift+Esc focuses the composer', () => {
    expect(shortcutFor(press('Escape'), { typing: false, streaming: true })).toBe('stop');
    expect(shortcutFor(press('Escape'), idle)).toBeNull();
    expect(shortcutFor(press('Escape', { shiftKey: true }), { typing: false, streaming: true })).toBe('focus-composer');
  });

  it('treats bare keys as text while typing', () => {
    expect(shortcutFor(press('/'), idle)).toBe('focus-composer');
    expect(shortcutFor(press('?', { shiftKey: true }), idle)).toBe('help');
    expect(shortcutFor(press('/'), typing)).toBeNull();
    expect(shortcutFor(press('?', { shiftKey: true }), typing)).toBeNull();
    expect(shortcutFor(press('a'), idle)).toBeNull();
  });

  it('knows what a typing target is', () => {
    expect(isTypingTarget({ tagName: 'textarea' })).toBe(true);
    expect(isTypingTarget({ tagName: 'INPUT' })).toBe(true);
    expect(isTypingTarget({ tagName: 'DIV', isContentEditable: true })).toBe(true);
    expect(isTypingTarget({ tagName: 'BUTTON' })).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
  });
});
