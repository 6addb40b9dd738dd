import { describe, expect, it } from "vitest";
import { parseRetryAfter } from "./parse-retry-after";

const NOW = Date.UTC(2026, 5, 15, 12, 0, 0);

describe("parseRetryAfter", () => {
  it("prefers retry-after-ms (OpenAI)", () => {
    expect(parseRetryAfter({ "retry-after-ms": "644", "retry-after": "1" }, NOW)).toBe(NOW + 644);
  });

  it("reads retry-after as float seconds", () => {
    expect(parseRetryAfter({ "retry-after": "2" }, NOW)).toBe(NOW + 2000);
    expect(parseRetryAfter({ "retry-after": "0.5" }, NOW)).toBe(NOW + 500);
  });

  it("reads retry-after as an HTTP-date and clamps a past one", () => {
    expect(parseRetryAfter({ "retry-after": "Mon, 15 Jun 2026 12:05:00 GMT" }, NOW)).toBe(
      NOW + 300_000,
    );
    expect(parseRetryAfter({ "retry-after": "Wed, 21 Oct 2015 07:28:00 GMT" }, NOW)).toBe(NOW);
  });

  it("matches header names case-insensitively and takes the first repeated value", () => {
    expect(parseRetryAfter({ "Retry-After": ["3", "9"] }, NOW)).toBe(NOW + 3000);
  });

  it("falls back to retry-after when retry-after-ms is garbage", () => {
    expect(parseRetryAfter({ "retry-after-ms": "x", "retry-after": "4" }, NOW)).toBe(NOW + 4000);
  });

  it.each([{}, { "retry-after": "" }, { "retry-after": "soon 1" }, { "retry-after": "-5" }])(
    "returns undefined for %j",
    (headers) => {
      expect(parseRetryAfter(headers, NOW)).toBeUndefined();
    },
  );
});
