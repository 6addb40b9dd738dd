import { emitExpr, JS_PRELUDE, type Scope, type Target } from "./emit";
import { type Expr, parseExpr } from "./expr";
import {
  CD_REASON,
  COOLDOWN_KIND,
  RULE_CONSTANTS,
  RULES,
  type RuleDef,
  type RuleName,
  SETTLE_OUTCOME,
  SKIP,
} from "./table";

export interface ParsedRule {
  name: RuleName;
  args: readonly string[];
  lets: [string, Expr][];
  is: Expr;
  /** Rules it calls, directly. */
  calls: Set<RuleName>;
  scope: Scope;
}

function callsOf(x: Expr, out: Set<string>): void {
  if (x.k === "call") out.add(x.fn);
  if (x.k === "neg" || x.k === "not") callsOf(x.x, out);
  if (x.k === "bin") {
    callsOf(x.a, out);
    callsOf(x.b, out);
  }
  if (x.k === "call") for (const a of x.args) callsOf(a, out);
}

/**
 * Parses and checks the table once, in order; a rule sees its arguments, its locals and the
 * rules above it. Throws at module load on any rule that cannot be emitted the same for both.
 */
export function parseRules(table: Readonly<Record<string, RuleDef>> = RULES): ParsedRule[] {
  const known = new Map<string, { arity: number; boolean: boolean }>();
  const out: ParsedRule[] = [];
  const approx = new Set<string>();
  for (const [name, def] of Object.entries(table) as [RuleName, RuleDef][]) {
    const names = new Set<string>(def.args);
    const scope: Scope = { names, constants: RULE_CONSTANTS, rules: new Map(known) };
    const lets: [string, Expr][] = (def.let ?? []).map(([n, src]) => [n, parseExpr(src)]);
    const is = parseExpr(def.is);
    const calls = new Set<string>();
    for (const x of [...lets.map(([, e]) => e), is]) callsOf(x, calls);
    if ([...calls].some((c) => c === "exp" || approx.has(c)) && def.approx !== true) {
      throw new Error(`rules: ${name} uses exp, which only an approx rule may`);
    }
    if (def.approx === true) approx.add(name);
    const rule: ParsedRule = {
      name,
      args: def.args,
      lets,
      is,
      calls: new Set([...calls].filter((c): c is RuleName => known.has(c))),
      scope,
    };
    // Emitting checks every name, call and cond of the rule for both targets, at load.
    emitRule(rule, "lua");
    emitRule(rule, "js");
    out.push(rule);
    known.set(name, { arity: def.args.length, boolean: def.yes === true });
  }
  return out;
}

const PARSED = parseRules();

/** One rule as a function of the target language (validates every name and call on the way). */
function emitRule(r: ParsedRule, target: Target): string {
  const names = new Set(r.scope.names);
  const body: string[] = [];
  for (const [n, x] of r.lets) {
    body.push(
      `${target === "lua" ? "local" : "const"} ${n} = ${emitExpr(x, target, { ...r.scope, names })};`,
    );
    names.add(n);
  }
  const result = emitExpr(r.is, target, { ...r.scope, names });
  const params = r.args.join(", ");
  if (target === "lua") {
    const lines = body.map((l) => `  ${l.slice(0, -1)}`);
    return [`local function ${r.name}(${params})`, ...lines, `  return ${result}`, "end"].join(
      "\n",
    );
  }
  return `function ${r.name}(${params}) { ${[...body, `return ${result};`].join(" ")} }`;
}

function luaTable(t: Readonly<Record<string, string>>): string {
  return `{ ${Object.entries(t)
    .map(([k, v]) => `${k} = '${v}'`)
    .join(", ")} }`;
}

/** Closes the generated part of a script; what follows is the script's own key handling. */
export const LUA_RULES_END = "-- End of generated rules.";

/**
 * The Lua a script needs of the rules: the shared tables and, in table order (a rule before
 * its callers), the rules its body calls and what those call. Prepended to the script.
 */
export function luaRulesFor(scriptBody: string): string {
  const used = new Set<RuleName>();
  const want = (name: RuleName) => {
    if (used.has(name)) return;
    used.add(name);
    for (const c of PARSED.find((r) => r.name === name)!.calls) want(c);
  };
  for (const r of PARSED) if (new RegExp(`\\b${r.name}\\(`).test(scriptBody)) want(r.name);
  const fns = PARSED.filter((r) => used.has(r.name)).map((r) => emitRule(r, "lua"));
  return [
    "",
    "-- Generated from packages/quota/src/rules/table.ts: the rules shared with the memory store.",
    `local OUTCOME = ${luaTable(SETTLE_OUTCOME)}`,
    `local KIND = ${luaTable(COOLDOWN_KIND)}`,
    `local SKIP = ${luaTable(SKIP)}`,
    `local CD_REASON = ${luaTable(CD_REASON)}`,
    ...fns,
    LUA_RULES_END,
    "",
  ].join("\n");
}

/** A rule's Lua function text, for tests. */
export function luaRule(name: RuleName): string {
  return emitRule(PARSED.find((r) => r.name === name)!, "lua");
}

type Arg = number | string | boolean | undefined;
type Args<A extends readonly string[]> = { -readonly [I in keyof A]: Arg };
type Rules = {
  [K in RuleName]: (
    ...args: Args<(typeof RULES)[K]["args"]>
  ) => (typeof RULES)[K] extends { yes: true } ? boolean : number;
};

/** The JavaScript of every rule, as one factory's source. */
export const RULES_JS = `"use strict";\n${JS_PRELUDE}\n${PARSED.map((r) => emitRule(r, "js")).join("\n")}\nreturn { ${PARSED.map((r) => r.name).join(", ")} };`;

/** The rules as JavaScript functions, compiled once when the module loads. */
export const rules: Rules = new Function(RULES_JS)() as Rules;
