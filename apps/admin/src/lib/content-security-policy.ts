/**
 * The console's Content-Security-Policy, strict where Next 16 allows it: scripts only from this
 * origin and with this response's nonce ('strict-dynamic' lets those load Next's chunks), no
 * plugins, no <base>, forms only to this origin, and no page may frame the console
 * (clickjacking). Next reads the nonce from the request's own CSP header and puts it on every
 * script it renders (docs: app/guides/content-security-policy), which is why the proxy sets
 * the header on the request as well as on the response, and why every page renders per
 * request. Styles are Tailwind's stylesheet plus Next's nonce'd tags: no 'unsafe-inline'.
 */
export function contentSecurityPolicy(nonce: string, options: { development: boolean }): string {
  const directives = [
    "default-src 'self'",
    // React's development build evaluates code to rebuild server stack traces; never in production.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.development ? " 'unsafe-eval'" : ""}`,
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ];
  return directives.join("; ");
}

/** Sent with every response besides the CSP; X-Frame-Options for browsers without CSP 2. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "x-frame-options": "DENY",
  "x-content-type-options": "nosniff",
  "referrer-policy": "same-origin",
};

/** 128 random bits, base64: a fresh nonce for each response. */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}
