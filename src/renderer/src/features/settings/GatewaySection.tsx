import { useEffect, useState } from 'react';
import type { GatewayStatus } from '../../../../shared/contract';
import { useGateway } from '../../stores/context';
import { CopyButton } from '../chat/markdown/CodeBlock';
import { FormField, FormProblem } from './FormField';
import { onWindowReturn } from './on-window-return';

/**
 * The HTTP gateway (OpenAI- and Anthropic-compatible API for other tools): the switch (written to
 * switchboard.yaml as `gateway.enabled`), where it listens and how it is doing, an example to copy,
 * and the named tokens clients use: made here (the secret shown once), revoked after a confirmation.
 */
export function GatewaySection() {
  const status = useGateway((s) => s.status);
  const loadError = useGateway((s) => s.loadError);
  const switching = useGateway((s) => s.switching);
  const switchError = useGateway((s) => s.switchError);
  const setEnabled = useGateway((s) => s.setEnabled);
  const load = useGateway((s) => s.load);

  useEffect(() => {
    void load();
  }, [load]);
  // Tokens made or revoked with the CLI (`switchboard gateway tokens …`) show when the user comes back to the window.
  const refreshTokens = useGateway((s) => s.refreshTokens);
  useEffect(() => onWindowReturn({ window, document }, () => void refreshTokens()), [refreshTokens]);

  return (
    <section className="settings-section" aria-labelledby="settings-gateway" data-testid="settings-gateway">
      <header className="settings-section__head">
        <h3 id="settings-gateway">Gateway</h3>
      </header>
      <p className="settings-note">
        An OpenAI- and Anthropic-compatible API on this machine: editors, scripts and agents pointed at it get the same routing, budgets and usage
        records as this app, each call recorded under its token’s name.
      </p>
      <FormProblem problem={loadError} />
      {status !== null && (
        <>
          <FormField check label={status.hosted ? 'Serve the gateway' : 'Serve the gateway (applies when the app or switchboard serve runs)'} error={switchError} errorTestId="gateway-switch-error">
            <input type="checkbox" data-testid="gateway-enabled" checked={status.enabled} disabled={switching} onChange={(e) => void setEnabled(e.target.checked)} />
          </FormField>
          <GatewayState status={status} />
          <GatewayExample status={status} />
        </>
      )}
      <GatewayTokens />
    </section>
  );
}

const STATE_WORDS: Record<GatewayStatus['state'], string> = {
  off: 'Off',
  starting: 'Starting…',
  running: 'Running',
  'port-in-use': 'Port in use',
  failed: 'Could not start',
};

function GatewayState({ status }: { status: GatewayStatus }) {
  return (
    <>
      <dl className="settings-facts">
        <dt>Status</dt>
        <dd>
          <span className="gateway-state" data-testid="gateway-state" data-state={status.state}>
            {status.hosted ? STATE_WORDS[status.state] : 'Not served by this host'}
          </span>
          {status.message !== null && <span className="settings-field__error"> {status.message}</span>}
        </dd>
        <dt>Address</dt>
        <dd>
          <code data-testid="gateway-address">
            {status.host}:{status.port === 0 ? 'any free port' : status.port}
          </code>
        </dd>
      </dl>
      {status.warning !== null && <p className="settings-warning">{status.warning}</p>}
    </>
  );
}

/** What a client needs: the base URL and a request to copy. */
function GatewayExample({ status }: { status: GatewayStatus }) {
  const baseURL = status.baseURL ?? (status.port === 0 ? null : `http://${status.host.includes(':') ? `[${status.host}]` : status.host}:${status.port}/v1`);
  if (baseURL === null) return null;
  const curl = [
    `curl ${baseURL}/chat/completions \\`,
    '  -H "Authorization: Bearer $SWITCHBOARD_TOKEN" -H "Content-Type: application/json" \\',
    `  -d '{"model": "auto", "messages": [{"role": "user", "content": "Hello"}]}'`,
  ].join('\n');
  return (
    <div className="gateway-example" data-testid="gateway-example">
      <div className="gateway-example__line">
        <span className="settings-soft">OpenAI base URL</span> <code data-testid="gateway-base-url">{baseURL}</code> <CopyButton text={baseURL} label="Copy URL" />
        <span className="settings-soft"> · Anthropic: the same without /v1</span>
      </div>
      <figure className="gateway-example__code">
        <pre>
          <code data-testid="gateway-curl">{curl}</code>
        </pre>
        <CopyButton text={curl} label="Copy curl" />
      </figure>
    </div>
  );
}

function GatewayTokens() {
  const tokens = useGateway((s) => s.tokens);
  const created = useGateway((s) => s.created);
  const creating = useGateway((s) => s.creating);
  const createError = useGateway((s) => s.createError);
  const revokeError = useGateway((s) => s.revokeError);
  const createToken = useGateway((s) => s.createToken);
  const revokeToken = useGateway((s) => s.revokeToken);
  const dismissCreated = useGateway((s) => s.dismissCreated);
  const [name, setName] = useState('');

  return (
    <div className="gateway-tokens">
      <h4>Tokens</h4>
      <p className="settings-note">One per client: its name is recorded as the client of every call made with it.</p>
      {created !== null && (
        <div className="settings-warning gateway-secret" role="status" data-testid="gateway-new-token-box">
          <strong>Copy the token for “{created.name}” now: it is not shown again.</strong> Only its hash is kept; anyone with it can spend through
          your providers until you revoke it.
          <div className="gateway-secret__value">
            <code data-testid="gateway-new-token">{created.token}</code> <CopyButton text={created.token} label="Copy token" />
            <button type="button" className="button button--small" data-testid="gateway-new-token-done" onClick={dismissCreated}>
              Done
            </button>
          </div>
        </div>
      )}
      <form
        className="settings-form settings-form--flat gateway-tokens__form"
        onSubmit={(event) => {
          event.preventDefault();
          void createToken(name.trim()).then((ok) => ok && setName(''));
        }}
      >
        <FormField label="New token’s name" error={createError} errorTestId="gateway-token-name-error">
          <input data-testid="gateway-token-name" value={name} onChange={(e) => setName(e.target.value)} placeholder="my-editor" autoComplete="off" />
        </FormField>
        <button type="submit" className="button" data-testid="gateway-token-create" disabled={creating || name.trim() === ''}>
          Create token
        </button>
      </form>
      <FormProblem problem={revokeError} />
      {tokens.length === 0 ? (
        <p className="settings-soft">No tokens yet: the gateway refuses every request until you make one.</p>
      ) : (
        <table className="settings-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Token</th>
              <th>Created</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {tokens.map((t) => (
              <tr key={t.name} data-testid="gateway-token-row" data-token={t.name}>
                <td>{t.name}</td>
                <td>
                  <code>{t.hint}</code>
                </td>
                <td>{new Date(t.createdAt).toLocaleString()}</td>
                <td className="settings-table__actions">
                  <button
                    type="button"
                    className="button button--small button--danger"
                    data-testid="gateway-token-revoke"
                    onClick={() => {
                      if (window.confirm(`Revoke the token “${t.name}”? Clients using it are refused from their next request.`)) void revokeToken(t.name);
                    }}
                  >
                    Revoke
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
