/**
 * DNS-rebinding and cross-site defence for the gateway (the same idea as the `serve` host's
 * upgrade guard). A page on evil.example can point its own name at 127.0.0.1, but the browser
 * still sends `Host: evil.example` and `Origin: http://evil.example`, so both are checked against
 * the names this gateway answers to and the origins the config allows.
 */

export interface GatewayHostPolicy {
  /** The port the gateway listens on. */
  port: number;
  /** Host names accepted besides the loopback ones: the bind host, and `gateway.allowedHosts`. */
  extraHostnames: readonly string[];
  /** Origins allowed to call from a browser (`gateway.corsOrigins`); `*` allows any. Empty: none. */
  corsOrigins: readonly string[];
}

const LOOPBACK_HOSTNAMES: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '[::1]']);

/** `Host` header → hostname (lowercase, IPv6 in brackets) and port, or null when malformed. */
export function parseHostHeader(value: string): { hostname: string; port: number | null } | null {
  const match = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?$/i.exec(value.trim());
  if (match === null) return null;
  const port = match[2] === undefined ? null : Number(match[2]);
  if (port !== null && (port < 1 || port > 65535)) return null;
  return { hostname: (match[1] ?? '').toLowerCase(), port };
}

/** True when the Host header names this gateway: a loopback name (or an allowed one) with our port. */
export function isAllowedHost(header: string | undefined, policy: GatewayHostPolicy): boolean {
  if (header === undefined) return false;
  const parsed = parseHostHeader(header);
  if (parsed === null) return false;
  if ((parsed.port ?? 80) !== policy.port) return false;
  return LOOPBACK_HOSTNAMES.has(parsed.hostname) || policy.extraHostnames.includes(parsed.hostname);
}

/**
 * True when a request may come from this Origin. Clients outside a browser (SDKs, curl) send none
 * and are allowed; a browser page is allowed only from an origin the config lists.
 */
export function isAllowedOrigin(origin: string | undefined, policy: GatewayHostPolicy): boolean {
  if (origin === undefined) return true;
  return policy.corsOrigins.includes('*') || policy.corsOrigins.includes(origin.toLowerCase().replace(/\/$/, ''));
}

/** CORS headers for an allowed browser origin; none without an Origin or without configured origins. */
export function corsHeaders(origin: string | undefined, policy: GatewayHostPolicy): Record<string, string> {
  if (origin === undefined || policy.corsOrigins.length === 0 || !isAllowedOrigin(origin, policy)) return {};
  return { 'access-control-allow-origin': origin, vary: 'origin', 'access-control-expose-headers': 'x-request-id, x-switchboard-warnings' };
}

/** The answer to a preflight from an allowed origin. */
export function preflightHeaders(origin: string, requestedHeaders: string | undefined, policy: GatewayHostPolicy): Record<string, string> {
  return {
    ...corsHeaders(origin, policy),
    'access-control-allow-methods': 'GET, POST, OPTIONS',
    // The SDKs send their own x-stainless-* headers; an allowed origin may send what it asks for.
    'access-control-allow-headers': requestedHeaders ?? 'authorization, content-type, x-api-key, anthropic-version',
    'access-control-max-age': '600',
  };
}
