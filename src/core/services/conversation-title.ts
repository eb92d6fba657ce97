const MAX_TITLE = 80;
export const UNTITLED = 'New chat';

/** A conversation's title from its first user text: one line, trimmed, cut at a word near 80 chars. */
export function conversationTitle(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  if (line === '') return UNTITLED;
  if (line.length <= MAX_TITLE) return line;
  const cut = line.slice(0, MAX_TITLE);
  const space = cut.lastIndexOf(' ');
  return `${(space > MAX_TITLE / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
