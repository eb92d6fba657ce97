/** The downloads page (being built: its issue owns this folder). */
export function DownloadsPage() {
  return (
    <section className="page" data-testid="page-downloads">
      <h2 className="page__title">Downloads</h2>
    </section>
  );
}
