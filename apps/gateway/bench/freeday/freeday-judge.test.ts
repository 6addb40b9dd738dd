import { createLimitedProvider, type ReceivedRequest } from "@429chain/testing";
import { describe, expect, it } from "vitest";
import { type ClientOutcome, judgeFreeday } from "./freeday-judge";
import type { ScheduledRequest } from "./freeday-schedule";

const T0 = 1_800_000_000_000;
const MINUTE = 1_000;
const COST = { promptTokens: 10, completionTokens: 10, maxTokens: 10 };

function setup() {
  const clock = { now: T0 };
  const sim = createLimitedProvider({
    style: "groq",
    limits: { rpm: 1 },
    minuteMs: MINUTE,
    dayMs: 10 * MINUTE,
    startAt: T0,
    now: () => clock.now,
  });
  const hit = (at: number) => {
    clock.now = at;
    const req: ReceivedRequest = {
      method: "POST",
      path: "/p",
      headers: {},
      body: { model: "m", messages: [{ role: "user", content: "hi" }] },
      rawBody: "",
    };
    return sim.respond(req).status ?? 200;
  };
  return { sim, hit };
}

const item = (index: number, phase = "calm"): ScheduledRequest => ({
  index,
  at: 0,
  phase,
  key: 0,
  promptChars: 40,
  maxTokens: 10,
  stream: false,
});

const outcome = (index: number, sentAt: number, answeredAt: number, status: number) =>
  ({ index, sentAt, answeredAt, status, complete: status === 200 }) satisfies ClientOutcome;

describe("judgeFreeday", () => {
  it("counts a client 429 against the gateway only while the request could have been served", () => {
    const { sim, hit } = setup();
    expect(hit(T0 + 500)).toBe(200);
    expect(hit(T0 + 600)).toBe(429);
    expect(hit(T0 + 1_500)).toBe(200);
    expect(hit(T0 + 1_600)).toBe(429);
    const schedule = [0, 1, 2, 3, 4].map((i) => item(i, i < 2 ? "calm" : "late"));
    const judgement = judgeFreeday({
      schedule,
      outcomes: [
        outcome(0, T0 + 490, T0 + 520, 200),
        // Quota left at both instants: the minute was untouched until T0 + 500.
        {
          ...outcome(1, T0 + 100, T0 + 200, 429),
          attempts: [{ provider: "p", outcome: "skipped_cooldown", reason: "cooldown 12.5 s" }],
        },
        // The minute's only request was taken before the answer's tolerance ran out.
        outcome(2, T0 + 100, T0 + 450, 429),
        // Nothing was left when it was sent; the next minute came while it was in flight.
        outcome(3, T0 + 900, T0 + 1_050, 429),
        outcome(4, T0 + 900, T0 + 1_000, 502),
      ],
      providers: [{ id: "p", sim }],
      costOf: () => COST,
      startAt: T0,
      minuteMs: MINUTE,
      toleranceMs: 100,
    });
    expect(judgement).toEqual({
      sent: 5,
      served: 1,
      client429: 3,
      client429WithQuota: 1,
      quotaLeftOn: { p: 1 },
      quotaLeftWhy: { "p: skipped_cooldown - cooldown # s": 1 },
      otherFailures: 1,
      upstream429: 2,
      upstream429AfterFirstMinute: 1,
      perProvider: { p: { ok: 2, rateLimited: 2, afterFirstMinute: 1 } },
      perPhase: {
        calm: { sent: 2, served: 1, client429: 1 },
        late: { sent: 3, served: 0, client429: 2 },
      },
    });
  });
});
