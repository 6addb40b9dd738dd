/** settings.modelAliases, ready for lookup: exact names, and prefixes longest first. */
export interface CompiledAliases {
  readonly exact: ReadonlyMap<string, string>;
  readonly prefixes: readonly (readonly [prefix: string, chain: string])[];
}

export function compileAliases(aliases: Record<string, string>): CompiledAliases {
  const exact = new Map<string, string>();
  const prefixes: [string, string][] = [];
  for (const [name, chain] of Object.entries(aliases)) {
    if (name.endsWith("*")) prefixes.push([name.slice(0, -1), chain]);
    else exact.set(name, chain);
  }
  prefixes.sort((a, b) => b[0].length - a[0].length);
  return { exact, prefixes };
}
