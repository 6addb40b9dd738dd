/**
 * `base` + `path`, where `base` has no trailing slash. A path that starts with `/v1/`
 * (Anthropic's `/v1/messages`) drops that prefix when the base already ends in `/v1`: the
 * documented base URL has no `/v1`, but users copy `https://api.anthropic.com/v1` from SDK
 * configs, and neither may produce `/v1/v1/messages`.
 */
export function joinUrl(base: string, path: string): string {
  if (path.startsWith("/v1/") && /\/v1$/.test(base)) return `${base}${path.slice(3)}`;
  return `${base}${path}`;
}
