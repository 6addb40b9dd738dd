import { getProviderAdapter, type HeaderMap, SseParser } from "@429chain/providers";
import { describe, expect, it } from "vitest";
import type { FakeResponse, ReceivedRequest } from "../fake-upstream/types";
import { createLimitedProvider, type LimitedProviderOptions } from "./limited-provider";

const T0 = 1_800_000_000_000;
const MINUTE = 6_000;
const DAY = 120_000;

function setup(options: Pick<LimitedProviderOptions, "style" | "limits">) {
  const clock = { now: T0 };
  const provider = createLimitedProvider({
    ...options,
    minuteMs: MINUTE,
    dayMs: DAY,
    now: () => clock.now,
    completionTokens: 20,
  });
  // 400 characters: 100 prompt tokens; 20 completion tokens generated.
  const send = (extra: Record<string, unknown> = {}) => {
    const body = {
      model: "m",
      max_tokens: 50,
      messages: [{ role: "user", content: "x".repeat(400) }],
      ...extra,
    };
    const req: ReceivedRequest = {
      method: "POST",
      path: "/p/chat/completions",
      headers: {},
      body,
      rawBody: JSON.stringify(body),
    };
    return provider.respond(req);
  };
  return { clock, provider, send };
}

function headersOf(resp: FakeResponse): HeaderMap {
  const out: HeaderMap = {};
  for (const [k, v] of Object.entries(resp.headers ?? {})) out[k.toLowerCase()] = String(v);
  return out;
}

function upstream(resp: FakeResponse, now: number) {
  return {
    status: resp.status ?? 200,
    headers: headersOf(resp),
    body: resp.body === undefined ? "" : JSON.stringify(resp.body),
    now,
  };
}

describe("groq-style limited provider", () => {
  const groq = getProviderAdapter("groq");

  it("reports the day request window and the minute token window on a 200", () => {
    const { clock, send } = setup({ style: "groq", limits: { rpd: 3, tpm: 1_000 } });
    clock.now = T0 + 1_500;
    const resp = send();
    expect(resp.status).toBe(200);
    expect(groq.classifyResponse(upstream(resp, clock.now))).toEqual({ kind: "ok" });
    expect(groq.parseRateLimitHeaders(headersOf(resp), clock.now)).toEqual([
      { name: "requests-day", unit: "requests", limit: 3, remaining: 2, resetAt: T0 + DAY },
      { name: "tokens", unit: "tokens", limit: 1_000, remaining: 880, resetAt: T0 + MINUTE },
    ]);
    expect(resp.body).toMatchObject({
      usage: { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 },
    });
  });

  it("answers an RPM 429 the gateway cools down for until the minute refills", () => {
    const { clock, send, provider } = setup({ style: "groq", limits: { rpm: 1, rpd: 10 } });
    send();
    clock.now = T0 + 2_000;
    const resp = send();
    expect(resp.status).toBe(429);
    expect(JSON.stringify(resp.body)).toContain("requests per minute (RPM): Limit 1, Used 1");
    expect(groq.classifyResponse(upstream(resp, clock.now))).toMatchObject({
      kind: "rate_limited",
      scope: "entry",
      retryAt: T0 + MINUTE,
    });
    expect(provider.rateLimitedAt()).toEqual([T0 + 2_000]);
    expect(provider.rateLimitedBy()).toMatchObject({ rpm: 1 });
  });

  it("answers an RPD 429 that the gateway reads as exhausted until the day refills", () => {
    const { clock, send } = setup({ style: "groq", limits: { rpd: 1, tpm: 1_000 } });
    send();
    clock.now = T0 + 30_000;
    const resp = send();
    expect(JSON.stringify(resp.body)).toContain("requests per day (RPD)");
    expect(groq.classifyResponse(upstream(resp, clock.now))).toMatchObject({
      kind: "quota_exhausted",
      retryAt: T0 + DAY,
    });
  });

  it("names tokens per minute and tokens per day in the message only", () => {
    const tpm = setup({ style: "groq", limits: { tpm: 200 } });
    tpm.send();
    const minute = tpm.send();
    expect(JSON.stringify(minute.body)).toContain("tokens per minute (TPM): Limit 200, Used 120");
    // 80 tokens are left, too few for this request: rejected, with the window it spells out.
    expect(groq.classifyResponse(upstream(minute, T0))).toMatchObject({
      kind: "rejected",
      windows: [{ name: "tokens-minute", remaining: 80, resetAt: T0 + MINUTE }],
    });
    const tpd = setup({ style: "groq", limits: { tpd: 200 } });
    tpd.send();
    tpd.clock.now = T0 + 60_000;
    const day = tpd.send();
    // The same for the day: tokens are left, not enough for this request.
    expect(groq.classifyResponse(upstream(day, tpd.clock.now))).toMatchObject({
      kind: "rejected",
      windows: [{ name: "tokens-day", remaining: 80, resetAt: T0 + DAY }],
    });
  });
});

describe("cerebras-style limited provider", () => {
  const cerebras = getProviderAdapter("cerebras");

  it("reports -day and -minute windows with float-second resets", () => {
    const { clock, send } = setup({ style: "cerebras", limits: { rpd: 5, tpm: 1_000 } });
    clock.now = T0 + 1_250;
    const resp = send();
    expect(cerebras.parseRateLimitHeaders(headersOf(resp), clock.now)).toEqual([
      { name: "requests-day", unit: "requests", limit: 5, remaining: 4, resetAt: T0 + DAY },
      { name: "tokens-minute", unit: "tokens", limit: 1_000, remaining: 880, resetAt: T0 + MINUTE },
    ]);
  });

  it("refuses on prompt + max_tokens and says which window in its own body", () => {
    const { send, provider } = setup({ style: "cerebras", limits: { rpd: 5, tpm: 149 } });
    const resp = send();
    expect(resp.status).toBe(429);
    expect(resp.body).toEqual({
      message: "Tokens per minute limit exceeded - too many tokens processed.",
      type: "too_many_requests_error",
      param: "quota",
      code: "request_quota_exceeded",
    });
    // 149 tokens are left, so no header window is exhausted and the 429 carries no wait: the
    // token minute's reset says when the minute ends.
    expect(cerebras.classifyResponse(upstream(resp, T0))).toMatchObject({
      kind: "rate_limited",
      retryAt: T0 + MINUTE,
    });
    expect(provider.served()).toBe(0);
  });

  it("marks the day exhausted until the day window resets", () => {
    const { clock, send } = setup({ style: "cerebras", limits: { rpd: 1, tpm: 1_000 } });
    send();
    clock.now = T0 + 7_000;
    const resp = send();
    expect(cerebras.classifyResponse(upstream(resp, clock.now))).toMatchObject({
      kind: "quota_exhausted",
      retryAt: T0 + DAY,
    });
  });
});

describe("openrouter-style limited provider", () => {
  const openrouter = getProviderAdapter("openrouter");

  it("sends no rate-limit headers on a 200", () => {
    const { send } = setup({ style: "openrouter", limits: { rpm: 2 } });
    expect(openrouter.parseRateLimitHeaders(headersOf(send()), T0)).toEqual([]);
  });

  it("puts the epoch-ms reset in headers and body of a per-minute 429", () => {
    const { clock, send } = setup({ style: "openrouter", limits: { rpm: 1, rpd: 10 } });
    send();
    clock.now = T0 + 7_000;
    send();
    const resp = send();
    expect(resp.headers).toMatchObject({ "X-RateLimit-Reset": String(T0 + 2 * MINUTE) });
    expect(resp.body).toMatchObject({
      error: {
        message: "Rate limit exceeded: free-models-per-min. ",
        metadata: { headers: { "X-RateLimit-Reset": String(T0 + 2 * MINUTE) } },
      },
    });
    expect(openrouter.classifyResponse(upstream(resp, clock.now))).toMatchObject({
      kind: "rate_limited",
      scope: "provider",
      retryAt: T0 + 2 * MINUTE,
    });
    const bodyOnly = { ...upstream(resp, clock.now), headers: {} };
    expect(openrouter.classifyResponse(bodyOnly)).toMatchObject({ retryAt: T0 + 2 * MINUTE });
  });

  it("says free-models-per-day when the day is used up", () => {
    const { clock, send } = setup({ style: "openrouter", limits: { rpm: 5, rpd: 1 } });
    send();
    clock.now = T0 + 10_000;
    const resp = send();
    expect(openrouter.classifyResponse(upstream(resp, clock.now))).toMatchObject({
      kind: "quota_exhausted",
      scope: "provider",
      retryAt: T0 + DAY,
    });
  });
});

describe("gemini-style limited provider", () => {
  const gemini = getProviderAdapter("google-ai");

  it("answers a per-minute 429 with RetryInfo in whole seconds and the exact wait in the text", () => {
    const { clock, send } = setup({ style: "gemini", limits: { rpm: 1, rpd: 10 } });
    send();
    clock.now = T0 + 4_567;
    const resp = send();
    expect(resp.headers).toBeUndefined();
    const text = JSON.stringify(resp.body);
    expect(Array.isArray(resp.body)).toBe(true);
    expect(text).toContain("Please retry in 1.433000s.");
    expect(text).toContain('"retryDelay":"1s"');
    expect(text).toContain("GenerateRequestsPerMinutePerProjectPerModel-FreeTier");
    // The message's 1.433 s wins over the RetryInfo rounded down to 1 s.
    expect(gemini.classifyResponse(upstream(resp, clock.now))).toMatchObject({
      kind: "rate_limited",
      retryAt: clock.now + 1_433,
    });
  });

  it("names the day in QuotaFailure while the delay stays short", () => {
    const { clock, send } = setup({ style: "gemini", limits: { rpm: 10, rpd: 1 } });
    send();
    clock.now = T0 + 3_000;
    const resp = send();
    const text = JSON.stringify(resp.body);
    expect(text).toContain("GenerateRequestsPerDayPerProjectPerModel-FreeTier");
    expect(text).toContain('"retryDelay":"3s"');
    expect(gemini.classifyResponse(upstream(resp, clock.now))).toMatchObject({
      kind: "quota_exhausted",
    });
  });

  it("counts input tokens against its token quota", () => {
    const { send } = setup({ style: "gemini", limits: { tpm: 150 } });
    expect(send().status).toBe(200);
    const resp = send();
    expect(JSON.stringify(resp.body)).toContain(
      "GenerateContentInputTokensPerModelPerMinute-FreeTier",
    );
  });
});

describe("limited provider streams", () => {
  it("streams the completion with a usage chunk when asked", () => {
    const { send } = setup({ style: "groq", limits: { rpd: 5 } });
    const resp = send({ stream: true, stream_options: { include_usage: true } });
    expect(resp.headers).toMatchObject({ "x-ratelimit-remaining-requests": "4" });
    const parser = new SseParser();
    const events = (resp.stream?.frames ?? []).flatMap((f) => parser.push(f));
    const adapter = getProviderAdapter("groq");
    const signals = events.map((e) => adapter.classifyStreamEvent(e, T0));
    expect(signals.at(-1)).toEqual({ kind: "done" });
    expect(signals.find((s) => s.kind === "chunk" && s.usage)).toMatchObject({
      usage: { promptTokens: 100, completionTokens: 20, totalTokens: 120 },
    });
    const text = signals
      .map((s) =>
        s.kind === "chunk"
          ? ((s.json.choices as { delta?: { content?: string } }[])[0]?.delta?.content ?? "")
          : "",
      )
      .join("");
    expect(text.length).toBe(20 * 4 - 1);
  });
});
