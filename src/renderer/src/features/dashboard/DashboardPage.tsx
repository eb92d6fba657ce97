/** The dashboard page (being built: its issue owns this folder). */
export function DashboardPage() {
  return (
    <section className="page" data-testid="page-dashboard">
      <h2 className="page__title">Dashboard</h2>
    </section>
  );
}
