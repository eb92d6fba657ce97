/** The models page (being built: its issue owns this folder). */
export function ModelsPage() {
  return (
    <section className="page" data-testid="page-models">
      <h2 className="page__title">Models</h2>
    </section>
  );
}
