import { PAGES, type Page, pageLabel } from './pages';

/** The app's sections. Each page is its own feature folder; the chat stays the default. */
export function PageNav({ page, onChange }: { page: Page; onChange: (page: Page) => void }) {
  return (
    <nav className="page-nav" aria-label="Sections">
      {PAGES.map((p) => (
        <button
          key={p}
          type="button"
          className={p === page ? 'page-nav__item page-nav__item--active' : 'page-nav__item'}
          aria-current={p === page ? 'page' : undefined}
          data-testid={`nav-${p}`}
          onClick={() => onChange(p)}
        >
          {pageLabel(p)}
        </button>
      ))}
    </nav>
  );
}
