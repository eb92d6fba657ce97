import { useConnection } from '../stores/context';

/** Says so when the host can't be reached; calls wait for it or fail with a clear error. */
export function ConnectionBanner() {
  const state = useConnection((s) => s.state);
  if (state === 'open' || state === 'connecting') return null;
  return (
    <p className="banner" role="status" data-testid="connection-banner">
      {state === 'closed' ? 'Disconnected from Switchboard.' : 'Lost the connection to Switchboard. Reconnecting…'}
    </p>
  );
}
