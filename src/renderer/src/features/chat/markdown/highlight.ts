import { common, createLowlight } from 'lowlight';

/** highlight.js's common grammars (about 35 languages) through lowlight, which returns a tree, not HTML. */
const lowlight = createLowlight(common);

export type HighlightTree = ReturnType<typeof lowlight.highlight>;

/** Code over this many characters is shown plain: highlighting it would stall a frame for little gain. */
export const MAX_HIGHLIGHT_CHARS = 100_000;

/** The language named after a fence (`ts`, `language-python`), if lowlight knows it. */
export function knownLanguage(name: string | undefined): string | null {
  if (name === undefined || name === '') return null;
  const bare = name.replace(/^language-/, '').toLowerCase();
  return lowlight.registered(bare) ? bare : null;
}

/** A highlighted tree of `code`, or null when the language is unknown or the code too long. */
export function highlight(code: string, language: string | null): HighlightTree | null {
  if (language === null || code.length > MAX_HIGHLIGHT_CHARS) return null;
  return lowlight.highlight(language, code);
}
