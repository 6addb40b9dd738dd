import { describe, expect, it } from "vitest";
import { REQUEST_LOG_PAGE_SIZE, requestLogQuery } from "./request-log-filters";

describe("requestLogQuery", () => {
  it("turns filled filters into listRequestLogs options, times as UTC", () => {
    const { options } = requestLogQuery({
      from: "2026-01-05T10:00",
      to: "",
      chain: " fast ",
      key: "k-1",
      outcome: "exhausted",
      clientRequestId: " order-42 ",
      cursor: "abc",
    });
    expect(options).toEqual({
      from: new Date(Date.UTC(2026, 0, 5, 10)),
      to: undefined,
      chain: "fast",
      provider: undefined,
      apiKeyId: "k-1",
      outcome: "exhausted",
      clientRequestId: "order-42",
      cursor: "abc",
      limit: REQUEST_LOG_PAGE_SIZE,
    });
  });

  it("ignores malformed values instead of failing the page", () => {
    const { options } = requestLogQuery({
      from: "not a date",
      outcome: "weird",
      chain: ["a", "b"],
    });
    expect(options).toMatchObject({ from: undefined, outcome: undefined, chain: "a" });
  });
});
