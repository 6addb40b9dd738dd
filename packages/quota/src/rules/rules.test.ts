import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ACQUIRE_SCRIPT } from "../lua/acquire-script";
import { SETTLE_SCRIPT } from "../lua/settle-script";
import { LUA_RULES_END, luaRule, parseRules, rules } from "./compile";
import { emitExpr, type Scope } from "./emit";
import { parseExpr } from "./expr";
import { RULES, type RuleName } from "./table";

const T = 1_765_000_000_000;

describe("rules compiled to JavaScript", () => {
  it("live, laterLive, after, ttlTo", () => {
    expect(rules.live(T + 1, T)).toBe(true);
    expect(rules.live(T, T)).toBe(false);
    expect(rules.laterLive(T + 5, T + 3, T)).toBe(true);
    expect(rules.laterLive(T + 2, T + 3, T)).toBe(false);
    expect(rules.laterLive(T - 1, 0, T)).toBe(false);
    expect(rules.after(T, 30_000)).toBe(T + 30_000);
    expect(rules.ttlTo(T + 250, T)).toBe(250);
    expect(rules.ttlTo(T, T)).toBe(1);
  });

  it("header windows: capTo, holds, countsAgainst, headerShort, charge", () => {
    expect(rules.capTo(500, undefined)).toBe(500);
    expect(rules.capTo(500, 100)).toBe(100);
    expect(rules.capTo(50, 100)).toBe(50);
    expect(rules.holds("requests", 800, 100)).toBe(1);
    expect(rules.holds("tokens", 800, 100)).toBe(100);
    expect(rules.holds("tokens", 80, undefined)).toBe(80);
    expect(rules.countsAgainst(T, undefined)).toBe(true);
    expect(rules.countsAgainst(T, T)).toBe(true);
    expect(rules.countsAgainst(T - 1, T)).toBe(false);
    expect(rules.headerShort(3, 2, 1)).toBe(false);
    expect(rules.headerShort(3, 3, 1)).toBe(true);
    expect(rules.chargeOf("tokens", 1, 420)).toBe(420);
    expect(rules.chargeOf("requests", 1, 420)).toBe(1);
    expect(rules.remainingAfter(10, 3)).toBe(7);
    expect(rules.remainingAfter(2, 3)).toBe(0);
    expect(rules.keepsStoredReport(T + 60_000, T - 10, T - 20, T + 60_500, T)).toBe(true);
    expect(rules.keepsStoredReport(T + 60_000, T - 10, T - 20, T + 61_001, T)).toBe(false);
    expect(rules.keepsStoredReport(T + 60_000, T - 10, T - 5, T + 60_500, T)).toBe(false);
    expect(rules.keepsStoredReport(T - 1, T - 10, T - 20, T + 60_500, T)).toBe(false);
    expect(rules.headerKeepMs(T + 60_000, T)).toBe(60_000 + 86_400_000);
  });

  it("manual limits: slidingUsed, overLimit, fitAt", () => {
    // A third of the way into the window, 2/3 of the previous bucket still counts.
    expect(rules.slidingUsed(3, 0, 1000, 0, 3000)).toBe(3 * (1 - 1 / 3));
    expect(rules.overLimit(rules.slidingUsed(3, 0, 1000, 0, 3000), 1, 3)).toBe(false);
    expect(rules.overLimit(3, 1, 3)).toBe(true);
    // limit 10, 6 in this bucket, 8 in the previous: 5 of the 8 must have slid out.
    expect(rules.fitAt(10, 1, 8, 6, 0, 60_000, 100)).toBe(37_500);
    // The current bucket alone is over: the next bucket, then part of it.
    expect(rules.fitAt(10, 1, 0, 12, 0, 60_000, 100)).toBe(60_000 + 15_000);
    expect(rules.fitAt(10, 1, 8, 6, 0, 60_000, 40_000)).toBe(40_001);
    expect(rules.manualBucketTtl(60_000)).toBe(120_000);
    expect(rules.concurrencyLimited(0)).toBe(false);
    expect(rules.atConcurrency(2, 2)).toBe(true);
  });

  it("rate limits, quota and auth cooldowns", () => {
    expect(rules.rateLimitBase(undefined, T, 1000, 500)).toBe(1000);
    expect(rules.rateLimitBase(T + 200, T, 1000, 500)).toBe(500);
    expect(rules.rateLimitBase(T + 7000, T, 1000, 500)).toBe(7000);
    expect([1, 2, 3, 4, 10].map((n) => rules.rateLimitBackoff(1000, n, 6000))).toEqual([
      1000, 2000, 4000, 6000, 6000,
    ]);
    // A retry hint longer than the cap is honoured.
    expect(rules.rateLimitBackoff(9000, 3, 6000)).toBe(9000);
    expect(rules.escalationExpiry(T, 2000, 6000)).toBe(T + 8000);
    expect(rules.escalates(T, T - 1)).toBe(true);
    expect(rules.escalates(T - 1, T - 1)).toBe(false);
    expect(rules.streakEndsOnOk(-1, T)).toBe(false);
    expect(rules.streakEndsOnOk(T - 1, T)).toBe(true);
    expect(rules.quotaExhaustedUntil(undefined, T, 3_600_000, 1000)).toBe(T + 3_600_000);
    expect(rules.quotaExhaustedUntil(T + 10, T, 3_600_000, 1000)).toBe(T + 1000);
    expect(rules.quotaExhaustedUntil(T + 50_000, T, 3_600_000, 1000)).toBe(T + 50_000);
    expect(rules.extendsCooldown(0, T + 5, T)).toBe(true);
    expect(rules.extendsCooldown(T + 9, T + 5, T)).toBe(false);
    expect(rules.extendsCooldown(T + 5, T + 5, T)).toBe(false);
    expect(rules.extendsCooldown(T + 4, T + 5, T)).toBe(true);
  });

  it("circuit breaker and mid-stream trips", () => {
    expect([1, 2, 3, 9].map((o) => rules.circuitDuration(o, 30_000, 100_000))).toEqual([
      30_000, 60_000, 100_000, 100_000,
    ]);
    expect([0, 1, 5].map((t) => rules.midStreamDuration(t, 10_000, 50_000))).toEqual([
      10_000, 20_000, 50_000,
    ]);
    expect(rules.midStreamTrips(2, 3)).toBe(false);
    expect(rules.midStreamTrips(3, 3)).toBe(true);
    expect(rules.failureCounts(false, T, Number.NaN)).toBe(true);
    expect(rules.failureCounts(true, T, T)).toBe(false);
    expect(rules.failureCounts(true, T + 1, T)).toBe(true);
    expect(rules.circuitOpens(true, 1, 5)).toBe(true);
    expect(rules.circuitOpens(false, 4, 5)).toBe(false);
    expect(rules.circuitOpens(false, 5, 5)).toBe(true);
    expect(rules.circuitCloses(T + 1, T)).toBe(true);
    expect(rules.circuitCloses(T, T)).toBe(false);
  });

  it("burn decay", () => {
    expect(rules.burnDecay(T, T, 300_000)).toBe(1);
    expect(rules.burnDecay(T - 5, T, 300_000)).toBe(1);
    expect(rules.burnDecay(T + 300_000, T, 300_000)).toBe(Math.exp(-1));
    expect(rules.burnAdd(4, 0.5, 1)).toBe(3);
    expect(rules.burnAdd(4, 0.5, -7)).toBe(2);
  });

  it("takes min and max as Lua 5.1 does, NaN and -0 included", () => {
    expect(rules.remainingAfter(Number.NaN, 1)).toBe(0);
    expect(Object.is(rules.ttlTo(Number.NaN, 0), 1)).toBe(true);
    expect(Object.is(rules.circuitDuration(1, -0, 0), -0)).toBe(true);
  });

  it("has a JavaScript function for every rule of the table", () => {
    for (const name of Object.keys(RULES)) expect(typeof rules[name as RuleName]).toBe("function");
  });
});

describe("the expression language", () => {
  const scope: Scope = {
    names: new Set(["a", "b", "c"]),
    constants: { K: 7 },
    rules: new Map([["yes", { arity: 1, boolean: true }]]),
  };
  const js = (src: string) => emitExpr(parseExpr(src), "js", scope);
  const lua = (src: string) => emitExpr(parseExpr(src), "lua", scope);

  it("binds like arithmetic, left to right, and inlines constants", () => {
    expect(js("a - b - c")).toBe("((a - b) - c)");
    expect(js("a + b * c / K")).toBe("(a + ((b * c) / 7))");
    expect(js("-a / b")).toBe("((-a) / b)");
    expect(js("not a < b and c >= 1 or a == b")).toBe("(((!(a < b)) && (c >= 1)) || (a === b))");
    expect(lua("not a < b and c >= 1 or a != b")).toBe(
      "(((not (a < b)) and (c >= 1)) or (a ~= b))",
    );
  });

  it("emits each builtin for both targets", () => {
    expect(js("pow(2, a - 1)")).toBe("(2 ** (a - 1))");
    expect(lua("pow(2, a - 1)")).toBe("(2 ^ (a - 1))");
    expect(js("max(ceil(a), floor(b))")).toBe("luaMax(Math.ceil(a), Math.floor(b))");
    expect(js("min(a, b)")).toBe("luaMin(a, b)");
    expect(lua("min(exp(a), 1)")).toBe("math.min(math.exp(a), 1)");
    expect(js("cond(has(a), def(b, 0), 'tokens')")).toBe(
      '((a !== undefined) ? (b ?? 0) : "tokens")',
    );
    expect(lua("cond(has(a), def(b, 0), 'tokens')")).toBe(
      "(((a ~= nil)) and (b or 0) or 'tokens')",
    );
    expect(lua("1e-9 + 86400000")).toBe("(1e-9 + 86400000)");
  });

  it("refuses what it cannot emit the same way in both languages", () => {
    expect(() => js("d + 1")).toThrow(/unknown name "d"/);
    expect(() => js("sqrt(a)")).toThrow(/unknown function "sqrt"/);
    expect(() => js("max(a)")).toThrow(/takes 2 arguments/);
    expect(() => js("yes(a, b)")).toThrow(/takes 1 arguments/);
    // Lua's `t and a or b` is b when a is false: a yes/no branch is refused.
    expect(() => lua("cond(a, b > c, c)")).toThrow(/yes\/no/);
    expect(() => lua("cond(a, yes(b), c)")).toThrow(/yes\/no/);
    expect(() => parseExpr("a +")).toThrow(/unexpected end/);
    expect(() => parseExpr("a b")).toThrow(/trailing input/);
    expect(() => parseExpr("a % b")).toThrow(/cannot read/);
  });

  it("checks the table: earlier rules only, exp only where marked approx", () => {
    expect(parseRules().map((r) => r.name)).toEqual(Object.keys(RULES));
    const later = { a: { doc: "", args: ["x"], is: "b(x)" }, b: { doc: "", args: ["x"], is: "x" } };
    expect(() => parseRules(later)).toThrow(/unknown function "b"/);
    const decay = { d: { doc: "", args: ["x"], is: "exp(x)" } };
    expect(() => parseRules(decay)).toThrow(/approx/);
    const approx = { d: { doc: "", args: ["x"], is: "exp(x)", approx: true as const } };
    const user = { ...approx, u: { doc: "", args: ["x"], is: "d(x) + 1" } };
    expect(() => parseRules(user)).toThrow(/approx/);
    expect(parseRules(approx)).toHaveLength(1);
  });
});

describe("the two executors carry no copy of a rule", () => {
  const scripts = { acquire: ACQUIRE_SCRIPT, settle: SETTLE_SCRIPT };

  for (const [label, script] of Object.entries(scripts)) {
    it(`the ${label} script calls generated rules only`, () => {
      const [generated = "", body = ""] = script.split(LUA_RULES_END);
      expect(body.length).toBeGreaterThan(0);
      const called = (Object.keys(RULES) as RuleName[]).filter((n) =>
        new RegExp(`\\b${n}\\(`).test(body),
      );
      expect(called.length).toBeGreaterThan(5);
      for (const name of called) expect(generated).toContain(luaRule(name));
      // No arithmetic of its own beyond counting: no math library, powers or rule constants.
      expect(body).not.toMatch(/math\.|\^|1e-9|86400000|\b1000\b/);
      // Outcome kinds, cooldown kinds and skip reasons come from the table too.
      expect(body).not.toMatch(/kind == '|block\('|setCooldown\([^)]*, '/);
      expect(body).not.toMatch(
        /'(rate_limited|quota_exhausted|auth_failed|mid_stream)', o\.reason/,
      );
    });
  }

  for (const file of ["acquire", "settle"]) {
    it(`memory/${file}.ts calls the compiled rules only`, () => {
      const src = readFileSync(new URL(`../memory/${file}.ts`, import.meta.url), "utf8");
      expect(src).toContain('from "../rules/compile"');
      expect(src).not.toMatch(/Math\.|[\w)]\s*\*\*|1e-9|86_?400_?000|\b1000\b|EPS/);
    });
  }
});
