import { describe, expect, it } from "vitest";
import { DashboardRangeError, resolveDashboardRange } from "./dashboard-range";

const NOW = Date.UTC(2026, 2, 10, 14, 37, 12);

describe("resolveDashboardRange", () => {
  it("ends presets at the end of the current bucket", () => {
    expect(resolveDashboardRange({ range: "1h" }, NOW)).toEqual({
      preset: "1h",
      bucket: "minute",
      from: new Date(Date.UTC(2026, 2, 10, 13, 38)),
      to: new Date(Date.UTC(2026, 2, 10, 14, 38)),
    });
    expect(resolveDashboardRange({ range: "30d" }, NOW)).toMatchObject({
      bucket: "day",
      from: new Date(Date.UTC(2026, 1, 9)),
      to: new Date(Date.UTC(2026, 2, 11)),
    });
  });

  it("falls back to 24h for an unknown preset", () => {
    expect(resolveDashboardRange({ range: "2w" }, NOW)).toMatchObject({
      preset: "24h",
      bucket: "hour",
    });
  });

  it("widens a custom range to whole buckets of a resolution fit for its span", () => {
    expect(
      resolveDashboardRange(
        { range: "custom", from: "2026-03-01T10:20", to: "2026-03-03T09:05" },
        NOW,
      ),
    ).toEqual({
      preset: "custom",
      bucket: "hour",
      from: new Date(Date.UTC(2026, 2, 1, 10)),
      to: new Date(Date.UTC(2026, 2, 3, 10)),
    });
  });

  it("uses hours for a short range older than the minute rollups", () => {
    expect(
      resolveDashboardRange(
        { range: "custom", from: "2026-01-01T10:00", to: "2026-01-01T11:00" },
        NOW,
      ).bucket,
    ).toBe("hour");
  });

  it("rejects a custom range that ends before it starts", () => {
    expect(() =>
      resolveDashboardRange(
        { range: "custom", from: "2026-03-02T00:00", to: "2026-03-01T00:00" },
        NOW,
      ),
    ).toThrow(DashboardRangeError);
    expect(() => resolveDashboardRange({ range: "custom", from: "yesterday" }, NOW)).toThrow(
      "custom range: enter a valid start time",
    );
  });
});
