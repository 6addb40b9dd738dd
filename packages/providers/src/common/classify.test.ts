import type { RateLimitWindow } from "@429chain/contracts";
import { describe, expect, it } from "vitest";
import type { HeaderMap } from "../types";
import { type ClassifyHooks, classifyWithHooks } from "./classify";
import { parseWindows } from "./rate-limit-windows";

const NOW = Date.UTC(2026, 5, 15, 12, 0, 0);
const hooks: ClassifyHooks = {
  headerScope: "entry",
  parseRateLimitHeaders: (headers: HeaderMap, now: number): RateLimitWindow[] =>
    parseWindows(headers, now, [
      { name: "requests-day", unit: "requests", remainingHeader: "rd", resetHeader: "rdt" },
      { name: "tokens-minute", unit: "tokens", remainingHeader: "tm", resetHeader: "tmt" },
    ]),
};
const classify = (status: number, body = "", headers: HeaderMap = {}) =>
  classifyWithHooks({ status, body, headers, now: NOW }, hooks);
const err = (message: string, code?: string) => JSON.stringify({ error: { message, code } });

describe("classifyWithHooks: 429 cooldown order", () => {
  it("uses retry-after-ms first", () => {
    const outcome = classify(429, err("Please try again in 9s"), {
      "retry-after-ms": "1500",
      "retry-after": "3",
    });
    expect(outcome).toMatchObject({ kind: "rate_limited", scope: "entry", retryAt: NOW + 1500 });
  });

  it("uses Retry-After before reset headers and body", () => {
    const outcome = classify(429, err("Please try again in 9s"), {
      "retry-after": "3",
      tm: "0",
      tmt: "20s",
    });
    expect(outcome).toMatchObject({ retryAt: NOW + 3000 });
  });

  it("uses the longest exhausted window: a minute window never hides the day", () => {
    const outcome = classify(429, err("Please try again in 9s"), {
      rd: "0",
      rdt: "33011.38",
      tm: "0",
      tmt: "20",
    });
    expect(outcome).toMatchObject({ kind: "rate_limited", retryAt: NOW + 33_011_380 });
  });

  it("lets an exhausted day window beat a shorter Retry-After", () => {
    const outcome = classify(429, "", { "retry-after": "2", rd: "0", rdt: "3600" });
    expect(outcome).toMatchObject({ retryAt: NOW + 3_600_000 });
  });

  it("ignores windows with quota left", () => {
    const outcome = classify(429, err("Please try again in 9s"), { rd: "10", rdt: "3600" });
    expect(outcome).toMatchObject({ retryAt: NOW + 9000 });
  });

  it("leaves retryAt undefined when nothing says when", () => {
    const outcome = classify(429, "<html>Too Many Requests</html>");
    expect(outcome).toEqual({
      kind: "rate_limited",
      scope: "entry",
      retryAt: undefined,
      reason: "429 non-JSON body",
    });
  });
});

describe("classifyWithHooks: status mapping", () => {
  it("402 is credit exhaustion, retryAt only from Retry-After", () => {
    expect(classify(402, err("Insufficient credits"))).toEqual({
      kind: "quota_exhausted",
      scope: "provider",
      retryAt: undefined,
      reason: "402 Insufficient credits",
    });
    expect(classify(402, "", { "retry-after": "60" })).toMatchObject({ retryAt: NOW + 60_000 });
  });

  it("401 fails the provider, 403 the entry", () => {
    expect(classify(401, err("Invalid API key", "invalid_api_key"))).toEqual({
      kind: "auth_failed",
      scope: "provider",
      status: 401,
      reason: "401 invalid_api_key: Invalid API key",
    });
    expect(classify(403)).toMatchObject({ kind: "auth_failed", scope: "entry", status: 403 });
  });

  it.each([400, 404, 413, 422])("%d is a client error with its status", (status) => {
    expect(classify(status, err("bad"))).toEqual({
      kind: "client_error",
      status,
      reason: `${status} bad`,
    });
  });

  it.each([408, 409, 498, 500, 502, 503, 529])("%d is an upstream error", (status) => {
    expect(classify(status)).toEqual({
      kind: "upstream_error",
      status,
      reason: `${status} empty body`,
    });
  });

  it("reads an HTML 502 page as an upstream error", () => {
    expect(classify(502, "<html><h1>502 Bad Gateway</h1></html>")).toEqual({
      kind: "upstream_error",
      status: 502,
      reason: "502 non-JSON body",
    });
  });
});

describe("classifyWithHooks: 2xx bodies", () => {
  it("a completion is ok", () => {
    expect(classify(200, JSON.stringify({ id: "c", choices: [] }))).toEqual({ kind: "ok" });
  });

  it("a non-JSON or empty 200 is an upstream error", () => {
    expect(classify(200, "")).toEqual({
      kind: "upstream_error",
      status: 200,
      reason: "200 body is not JSON",
    });
    expect(classify(200, '"just a string"')).toMatchObject({ kind: "upstream_error" });
  });

  it("an error object in a 200 is an upstream error", () => {
    expect(classify(200, err("boom", "server_error"))).toEqual({
      kind: "upstream_error",
      status: 200,
      reason: "200 server_error: boom",
    });
  });

  it("a rate-limit error object in a 200 is rate_limited", () => {
    expect(classify(200, JSON.stringify({ error: { code: 429, message: "x" } }))).toMatchObject({
      kind: "rate_limited",
      scope: "entry",
    });
  });
});
