import { Suspense, lazy } from 'react';

// The charting library is most of the dashboard's weight: load it when the page is first opened,
// not with the chat.
const DashboardView = lazy(() => import('./DashboardView').then((m) => ({ default: m.DashboardView })));

/** The cost dashboard (see DashboardView). */
export function DashboardPage() {
  return (
    <Suspense
      fallback={
        <section className="page" data-testid="page-dashboard-loading" aria-busy="true">
          <h2 className="page__title">Dashboard</h2>
        </section>
      }
    >
      <DashboardView />
    </Suspense>
  );
}
