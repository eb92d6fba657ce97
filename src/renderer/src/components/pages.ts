export const PAGES = ['chat', 'compare', 'models', 'downloads', 'dashboard', 'settings'] as const;
export type Page = (typeof PAGES)[number];

const LABELS: Record<Page, string> = {
  chat: 'Chat',
  compare: 'Compare',
  models: 'Models',
  downloads: 'Downloads',
  dashboard: 'Dashboard',
  settings: 'Settings',
};

export const pageLabel = (page: Page): string => LABELS[page];

/** The page named by the URL hash (`#dashboard`), so a reload and a deep link land on it. */
export function pageFromHash(hash: string): Page {
  const name = hash.replace(/^#/, '');
  return (PAGES as readonly string[]).includes(name) ? (name as Page) : 'chat';
}
