/** The settings page (being built: its issue owns this folder). */
export function SettingsPage() {
  return (
    <section className="page" data-testid="page-settings">
      <h2 className="page__title">Settings</h2>
    </section>
  );
}
