/**
 * Splits streamed markdown into top-level blocks at blank lines outside code fences, so that
 * while an answer streams only its last block is parsed and rendered again; the finished ones
 * are the same strings each time and stay memoized (highlighted code included).
 *
 * A blank line does not split when what follows belongs to the block before: an indented line
 * (a list item's continuation, which alone would read as an indented code block) or, inside a
 * list, the next item.
 */
export interface MarkdownBlocks {
  blocks: string[];
  /** The last block is a code fence not closed yet (still streaming). */
  openFence: boolean;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const LIST_ITEM = /^ {0,3}([-*+]|\d{1,9}[.)])\s/;

export function splitMarkdownBlocks(text: string): MarkdownBlocks {
  const lines = text.split('\n');
  const blocks: string[] = [];
  let current: string[] = [];
  let fence: string | null = null;
  let inList = false;
  let pendingBlank = false;

  const close = () => {
    if (current.length > 0) blocks.push(current.join('\n'));
    current = [];
    inList = false;
  };

  for (const line of lines) {
    if (fence !== null) {
      current.push(line);
      const closing = FENCE.exec(line);
      if (closing !== null && closing[1]![0] === fence[0] && closing[1]!.length >= fence.length && line.trim() === closing[1]) fence = null;
      continue;
    }
    if (line.trim() === '') {
      if (current.length > 0) pendingBlank = true;
      continue;
    }
    if (pendingBlank) {
      const continues = /^\s/.test(line) || (inList && LIST_ITEM.test(line));
      if (continues) current.push('');
      else close();
      pendingBlank = false;
    }
    const opening = FENCE.exec(line);
    if (opening !== null) fence = opening[1]!;
    if (LIST_ITEM.test(line)) inList = true;
    current.push(line);
  }
  close();
  return { blocks, openFence: fence !== null };
}
