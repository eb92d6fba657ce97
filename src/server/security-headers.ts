/**
 * Headers for every HTTP answer. The page is opened with the token in its URL, so the
 * referrer must never leave; scripts come only from our own files (no inline, no eval);
 * the WebSocket back to us is the one connection allowed.
 */
export function securityHeaders(origin: { host: string }): Record<string, string> {
  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    // React sets styles through the CSSOM, which CSP allows; markup styles stay refused.
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    // Older browsers don't let 'self' cover ws:, so name the socket explicitly.
    `connect-src 'self' ws://${origin.host}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  return {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
  };
}
