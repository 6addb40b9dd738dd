/**
 * The tiny expression language the quota rules are written in (rules/table.ts), parsed once at
 * module load and emitted as Lua (lua/*) and as JavaScript (memory/*) by rules/emit.ts.
 *
 *   numbers 1, 1e-9 · strings 'tokens' · names (arguments, locals, constants)
 *   + - * / and unary - · < <= > >= == != · and or not · parentheses
 *   min(a, b) max(a, b) ceil(x) floor(x) pow(x, y) exp(x)
 *   cond(test, a, b)   a when test holds, else b (a must be a number or string: see emit.ts)
 *   has(x)             x is present (not nil / undefined)
 *   def(x, d)          x, or d when x is absent
 *   rule(args...)      any rule defined earlier in the table
 */
export type Expr =
  | { k: "num"; v: number }
  | { k: "str"; v: string }
  | { k: "name"; v: string }
  | { k: "neg"; x: Expr }
  | { k: "not"; x: Expr }
  | { k: "bin"; op: BinOp; a: Expr; b: Expr }
  | { k: "call"; fn: string; args: Expr[] };

export type BinOp = "+" | "-" | "*" | "/" | "<" | "<=" | ">" | ">=" | "==" | "!=" | "and" | "or";

const TOKEN =
  /\s*(?:(\d+(?:\.\d+)?(?:e[-+]?\d+)?)|'([a-z_]*)'|([A-Za-z_]\w*)|(<=|>=|==|!=|[-+*/<>(),]))/y;

type Token = { t: "num"; v: number } | { t: "str" | "name" | "op"; v: string };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < src.length) {
    if (/^\s*$/.test(src.slice(TOKEN.lastIndex))) break;
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(src);
    if (!m) throw new Error(`rules: cannot read "${src.slice(at)}" in "${src}"`);
    if (m[1] !== undefined) out.push({ t: "num", v: Number(m[1]) });
    else if (m[2] !== undefined) out.push({ t: "str", v: m[2] });
    else if (m[3] !== undefined) out.push({ t: "name", v: m[3] });
    else out.push({ t: "op", v: m[4]! });
  }
  return out;
}

/** Binding strength of each binary operator; all are left-associative. */
const LEVEL: Record<BinOp, number> = {
  or: 1,
  and: 2,
  "<": 4,
  "<=": 4,
  ">": 4,
  ">=": 4,
  "==": 4,
  "!=": 4,
  "+": 5,
  "-": 5,
  "*": 6,
  "/": 6,
};

export function parseExpr(src: string): Expr {
  const tokens = tokenize(src);
  let i = 0;
  const peek = () => tokens[i];
  const fail = (what: string): never => {
    throw new Error(`rules: ${what} at token ${i} of "${src}"`);
  };
  const expect = (op: string) => {
    const t = tokens[i++];
    if (t?.t !== "op" || t.v !== op) fail(`expected "${op}"`);
  };
  const opOf = (t: Token | undefined): BinOp | null => {
    if (!t) return null;
    if ((t.t === "op" || t.t === "name") && t.v in LEVEL) return t.v as BinOp;
    return null;
  };

  const primary = (): Expr => {
    const t = tokens[i++];
    if (!t) return fail("unexpected end");
    if (t.t === "num") return { k: "num", v: t.v };
    if (t.t === "str") return { k: "str", v: t.v };
    if (t.t === "op" && t.v === "-") return { k: "neg", x: primary() };
    if (t.t === "op" && t.v === "(") {
      const x = binary(0);
      expect(")");
      return x;
    }
    if (t.t === "name" && t.v === "not") return { k: "not", x: binary(3) };
    if (t.t === "name") {
      const next = peek();
      if (next?.t !== "op" || next.v !== "(") return { k: "name", v: t.v };
      i += 1;
      const args: Expr[] = [];
      if (peek()?.v !== ")") {
        args.push(binary(0));
        while (peek()?.v === ",") {
          i += 1;
          args.push(binary(0));
        }
      }
      expect(")");
      return { k: "call", fn: t.v, args };
    }
    return fail(`unexpected "${t.v}"`);
  };

  const binary = (min: number): Expr => {
    let a = primary();
    for (let op = opOf(peek()); op && LEVEL[op] > min; op = opOf(peek())) {
      i += 1;
      const b = binary(LEVEL[op]);
      a = { k: "bin", op, a, b };
    }
    return a;
  };

  const x = binary(0);
  if (i !== tokens.length) fail("trailing input");
  return x;
}
