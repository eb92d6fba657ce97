/** Splits text into word tokens, each with the whitespace before it, so joining them gives the text back. */
export function splitIntoTokens(text: string): string[] {
  return text.match(/\s*\S+|\s+$/g) ?? [];
}
