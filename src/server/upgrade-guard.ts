/**
 * DNS-rebinding defence. A page on evil.example can make its own name resolve to
 * 127.0.0.1, but the browser still sends `Host: evil.example` and `Origin:
 * http://evil.example`, so both are checked against the names this server answers to.
 */

export interface HostPolicy {
  /** The port the server listens on. */
  port: number;
  /** Host names accepted besides the loopback ones (the bind host when it is not loopback). */
  extraHostnames?: readonly string[];
}

const LOOPBACK_HOSTNAMES: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '[::1]']);

/** `Host` header → hostname (lowercase, IPv6 in brackets) and port, or null when malformed. */
export function parseHostHeader(value: string): { hostname: string; port: number | null } | null {
  const match = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?$/i.exec(value.trim());
  if (match === null) return null;
  const hostname = (match[1] ?? '').toLowerCase();
  const port = match[2] === undefined ? null : Number(match[2]);
  if (port !== null && (port < 1 || port > 65535)) return null;
  return { hostname, port };
}

function hostnameAllowed(hostname: string, policy: HostPolicy): boolean {
  return LOOPBACK_HOSTNAMES.has(hostname) || (policy.extraHostnames ?? []).includes(hostname);
}

/** True when the Host header names this server: a loopback name (or the bind host) and our port. */
export function isAllowedHost(header: string | undefined, policy: HostPolicy): boolean {
  if (header === undefined) return false;
  const parsed = parseHostHeader(header);
  if (parsed === null) return false;
  // A Host without a port means port 80; accept that only when we actually listen there.
  const port = parsed.port ?? 80;
  return port === policy.port && hostnameAllowed(parsed.hostname, policy);
}

/**
 * True when the Origin is this server's own (http, a loopback name, our port).
 * A missing Origin is allowed: browsers always send one on a WebSocket upgrade, so
 * only non-browser clients (the CLI, tests) omit it, and those still need the token.
 */
export function isAllowedOrigin(header: string | undefined, policy: HostPolicy): boolean {
  if (header === undefined) return true;
  let origin: URL;
  try {
    origin = new URL(header);
  } catch {
    return false;
  }
  if (origin.protocol !== 'http:') return false;
  const port = origin.port === '' ? 80 : Number(origin.port);
  return port === policy.port && hostnameAllowed(origin.hostname.toLowerCase(), policy);
}
