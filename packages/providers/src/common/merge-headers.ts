/**
 * Quirk defaults overridden by the provider config's `headers`. Names compare
 * case-insensitively so a configured `x-title` replaces the default `X-Title` instead of
 * sending both.
 */
export function mergeHeaders(
  defaults: Record<string, string>,
  configured: Record<string, string> | undefined,
): Record<string, string> {
  const merged: Record<string, string> = {};
  const overridden = new Set(Object.keys(configured ?? {}).map((k) => k.toLowerCase()));
  for (const [name, value] of Object.entries(defaults)) {
    if (!overridden.has(name.toLowerCase())) merged[name] = value;
  }
  return { ...merged, ...configured };
}
