import type { BinOp, Expr } from "./expr";

/**
 * Emits a parsed rule expression as Lua 5.1 (Redis scripting) or JavaScript. Every operation is
 * fully parenthesised, so both targets evaluate in the same order and, on IEEE doubles, give
 * bit-identical results (rules/rules.int.test.ts runs every rule in Redis to hold them to it).
 * exp is the exception: C libraries and V8 may round it an ulp apart, so only a rule marked
 * `approx` (a statistic, never a time) may use it.
 */
export type Target = "lua" | "js";

const BUILTIN_ARITY: Record<string, number> = {
  min: 2,
  max: 2,
  ceil: 1,
  floor: 1,
  pow: 2,
  exp: 1,
  cond: 3,
  has: 1,
  def: 2,
};

/** Arithmetic and comparisons are spelled alike in both; equality and logic are not. */
const SAME = ["+", "-", "*", "/", "<", "<=", ">", ">="] as const;
const sameOps = Object.fromEntries(SAME.map((op) => [op, op])) as Record<
  (typeof SAME)[number],
  string
>;

const OPS: Record<Target, Record<BinOp, string>> = {
  lua: { ...sameOps, "==": "==", "!=": "~=", and: "and", or: "or" },
  js: { ...sameOps, "==": "===", "!=": "!==", and: "&&", or: "||" },
};

const BOOLEAN_OPS = new Set<BinOp>(["<", "<=", ">", ">=", "==", "!=", "and", "or"]);

/** Helpers the JavaScript of the rules runs with: Lua 5.1's math.max and math.min, as written. */
export const JS_PRELUDE = [
  "function luaMax(a, b) { return b > a ? b : a; }",
  "function luaMin(a, b) { return b < a ? b : a; }",
].join("\n");

export interface Scope {
  /** Arguments and locals in scope. */
  names: ReadonlySet<string>;
  /** Named constants, inlined as literals. */
  constants: Readonly<Record<string, number>>;
  /** Rules defined so far, with their arity and whether they answer yes/no. */
  rules: ReadonlyMap<string, { arity: number; boolean: boolean }>;
}

/** Whether an expression is yes/no (it must then never be a cond branch: see below). */
function isBoolean(x: Expr, scope: Scope): boolean {
  if (x.k === "not") return true;
  if (x.k === "bin") return BOOLEAN_OPS.has(x.op);
  if (x.k === "call") return x.fn === "has" || scope.rules.get(x.fn)?.boolean === true;
  return false;
}

function formatNumber(v: number): string {
  if (!Number.isFinite(v)) throw new Error(`rules: ${v} is not a finite number`);
  return String(v);
}

export function emitExpr(x: Expr, target: Target, scope: Scope): string {
  const e = (y: Expr) => emitExpr(y, target, scope);
  switch (x.k) {
    case "num":
      return formatNumber(x.v);
    case "str":
      return target === "lua" ? `'${x.v}'` : JSON.stringify(x.v);
    case "name": {
      if (scope.names.has(x.v)) return x.v;
      const c = scope.constants[x.v];
      if (c !== undefined) return formatNumber(c);
      throw new Error(`rules: unknown name "${x.v}"`);
    }
    case "neg":
      return `(-${e(x.x)})`;
    case "not":
      return target === "lua" ? `(not ${e(x.x)})` : `(!${e(x.x)})`;
    case "bin":
      return `(${e(x.a)} ${OPS[target][x.op]} ${e(x.b)})`;
    case "call":
      return emitCall(x.fn, x.args, target, scope);
  }
}

function emitCall(fn: string, args: Expr[], target: Target, scope: Scope): string {
  const rule = scope.rules.get(fn);
  const arity = rule?.arity ?? BUILTIN_ARITY[fn];
  if (arity === undefined) throw new Error(`rules: unknown function "${fn}"`);
  if (args.length !== arity) throw new Error(`rules: ${fn} takes ${arity} arguments`);
  const a = args.map((y) => emitExpr(y, target, scope));
  if (rule) return `${fn}(${a.join(", ")})`;
  const lua = target === "lua";
  switch (fn) {
    case "min":
    case "max":
      // Lua 5.1's math.max(a, b) is `b > a and b or a`: NaN and -0 come out differently from
      // Math.max, so JavaScript calls a copy of Lua's (JS_PRELUDE).
      return lua
        ? `math.${fn}(${a.join(", ")})`
        : `lua${fn === "min" ? "Min" : "Max"}(${a.join(", ")})`;
    case "ceil":
    case "floor":
    case "exp":
      return `${lua ? "math" : "Math"}.${fn}(${a.join(", ")})`;
    case "pow":
      // Equal in both only for whole exponents (2 ** 0.5 differs by an ulp between V8 and the
      // C library Redis uses): rules raise to counts only.
      return lua ? `(${a[0]} ^ ${a[1]})` : `(${a[0]} ** ${a[1]})`;
    case "has":
      return lua ? `(${a[0]} ~= nil)` : `(${a[0]} !== undefined)`;
    case "def":
      // Lua's `or` falls back on nil (and false, which a rule never passes here).
      return lua ? `(${a[0]} or ${a[1]})` : `(${a[0]} ?? ${a[1]})`;
    default: {
      // cond. Lua 5.1 has no conditional expression; `t and a or b` is one as long as a is
      // never nil or false, so a yes/no branch is refused (write the test into the rule).
      if (isBoolean(args[1]!, scope)) throw new Error("rules: cond's second argument is yes/no");
      return lua ? `((${a[0]}) and ${a[1]} or ${a[2]})` : `(${a[0]} ? ${a[1]} : ${a[2]})`;
    }
  }
}
