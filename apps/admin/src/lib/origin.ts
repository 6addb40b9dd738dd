/** The headers a same-origin check reads; `Headers` and Next's `headers()` both fit. */
export interface HeaderSource {
  get(name: string): string | null;
}

/**
 * True when the request comes from a page of this console. Browsers send Origin with every
 * POST; a request without one (curl, a server) carries no ambient cookie risk unless the
 * browser marks it cross-site.
 */
export function isSameOrigin(headers: HeaderSource): boolean {
  const origin = headers.get("origin");
  if (origin === null) return headers.get("sec-fetch-site") !== "cross-site";
  const host = headers.get("x-forwarded-host") ?? headers.get("host");
  if (!host) return false;
  try {
    return new URL(origin).host === host.split(",")[0]!.trim();
  } catch {
    // "null" (sandboxed frames, file://) or garbage.
    return false;
  }
}

/** Whether cookies get `Secure`: COOKIE_SECURE, or on `auto` every host but localhost. */
export function isSecureHost(setting: "auto" | "true" | "false", headers: HeaderSource): boolean {
  if (setting !== "auto") return setting === "true";
  const host = (headers.get("x-forwarded-host") ?? headers.get("host") ?? "").split(",")[0]!;
  const hostname = host.trim().replace(/:\d+$/, "");
  return !["localhost", "127.0.0.1", "[::1]"].includes(hostname);
}
