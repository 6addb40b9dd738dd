import { createTestRedis, type TestRedis } from "@429chain/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { luaRulesFor, rules } from "./compile";
import { RULES, type RuleDef, type RuleName } from "./table";

/**
 * The guard that the two targets agree: every rule, generated as Lua and run by Redis (EVAL),
 * gives exactly the JavaScript twin's answer over a grid of inputs. Exactly: both stores must
 * report the same times, so results are compared bit for bit (%.17g round-trips a double);
 * only rules marked approx (exp, for burn rates) may be an ulp apart.
 */
type Arg = number | string | boolean | undefined;

const T = 1_765_000_000_000;
const NUMS = [
  0,
  1,
  2,
  3,
  7,
  0.5,
  1 / 3,
  -1,
  999,
  1000,
  60_000,
  300_000,
  T,
  T + 1,
  T - 1,
  T + 999,
  T + 1000,
  T + 60_000,
  T + 3_600_000,
];
/** Whole counts: what the executors pass as streak lengths, trips and openings. */
const COUNTS = [0, 1, 2, 3, 4, 5, 8, 20, 60, 1100];
const DOMAINS: Record<string, Arg[]> = {
  unit: ["requests", "tokens"],
  open: [true, false],
  n: COUNTS,
  trips: COUNTS,
  opens: COUNTS,
};
/** Arguments a caller may leave out (a window without a limit, an outcome without a hint). */
const OPTIONAL = new Set([
  "capTo.cap",
  "holds.limit",
  "countsAgainst.reportAt",
  "keepsStoredReport.oldAt",
  "rateLimitBase.retryAt",
  "quotaExhaustedUntil.retryAt",
]);

/** A small deterministic generator, so a failure names the same inputs every run. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomCases(name: RuleName, n: number): Record<string, Arg>[] {
  const next = random(name.length * 7919 + name.charCodeAt(0));
  const pick = <V>(xs: V[]) => xs[Math.floor(next() * xs.length)]!;
  const out: Record<string, Arg>[] = [];
  for (let i = 0; i < n; i++) {
    const c: Record<string, Arg> = {};
    for (const a of RULES[name].args) {
      const domain = DOMAINS[a] ?? NUMS;
      c[a] = OPTIONAL.has(`${name}.${a}`) && next() < 0.25 ? undefined : pick(domain);
    }
    out.push(c);
  }
  return out;
}

/** Manual limits as acquire meets them: whole counts, a window's bucket, a moment inside it. */
function manualCases(): Record<string, Arg>[] {
  const out: Record<string, Arg>[] = [];
  for (const w of [1000, 3000, 60_000, 86_400_000])
    for (const limit of [1, 3, 10, 100])
      for (const cost of [1, 5])
        for (const prev of [0, 1, 2, 3, 5, 50])
          for (const cur of [0, 1, 3, 9, 120])
            for (const f of [0, 1 / 3, 0.5, 0.999]) {
              const start = T - (T % w);
              const now = start + Math.floor(w * f);
              out.push({ limit, cost, prev, cur, start, w, now });
            }
  return out;
}

const CASES: Partial<Record<RuleName, Record<string, Arg>[]>> = {
  fitAt: manualCases(),
  slidingUsed: manualCases(),
};

let redis: TestRedis;

beforeAll(async () => {
  redis = await createTestRedis("rules");
});

afterAll(async () => {
  await redis.cleanup();
});

/** Runs one rule over many cases in one EVAL; each answer as text that parses back exactly. */
async function runLua(name: RuleName, cases: Record<string, Arg>[]): Promise<string[]> {
  const call = `${name}(${RULES[name].args.map((a) => `c.${a}`).join(", ")})`;
  const script = `${luaRulesFor(call)}
local function show(v)
  if type(v) == 'boolean' then return tostring(v) end
  if v ~= v then return 'NaN' end
  if v == math.huge then return 'Infinity' end
  if v == -math.huge then return '-Infinity' end
  return string.format('%.17g', v)
end
local out = {}
for i, c in ipairs(cjson.decode(ARGV[1])) do out[i] = show(${call}) end
return out`;
  return (await redis.redis.eval(script, 0, JSON.stringify(cases))) as string[];
}

const parse = (s: string): boolean | number =>
  s === "true" ? true : s === "false" ? false : Number(s);

/** Bit for bit, but for approx rules (exp): an ulp apart at most, as C libraries round. */
function agree(js: boolean | number, lua: boolean | number, rule: RuleDef): boolean {
  if (Object.is(js, lua)) return true;
  if (rule.approx !== true || typeof js !== "number" || typeof lua !== "number") return false;
  return Math.abs(js - lua) <= Number.EPSILON * Math.abs(js);
}

describe("every rule gives the same answer in Redis's Lua and in JavaScript", () => {
  for (const name of Object.keys(RULES) as RuleName[]) {
    it(name, async () => {
      const cases = [...(CASES[name] ?? []), ...randomCases(name, 400)];
      const lua = await runLua(name, cases);
      expect(lua).toHaveLength(cases.length);
      const fn = rules[name] as (...args: Arg[]) => boolean | number;
      const mismatches = cases
        .map((c, i) => ({ c, js: fn(...RULES[name].args.map((a) => c[a])), lua: parse(lua[i]!) }))
        .filter((r) => !agree(r.js, r.lua, RULES[name]));
      expect(mismatches.slice(0, 5)).toEqual([]);
    });
  }
});
