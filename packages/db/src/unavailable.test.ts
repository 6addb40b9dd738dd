import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable } from "./unavailable";

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe("isDatabaseUnavailable", () => {
  it("is true for unreachable servers, shutdowns and dropped connections, also as a cause", () => {
    expect(
      isDatabaseUnavailable(withCode("connect ECONNREFUSED 127.0.0.1:5", "ECONNREFUSED")),
    ).toBe(true);
    expect(isDatabaseUnavailable(withCode("terminating connection", "57P01"))).toBe(true);
    expect(isDatabaseUnavailable(withCode("the database system is starting up", "57P03"))).toBe(
      true,
    );
    expect(isDatabaseUnavailable(withCode("database does not exist", "3D000"))).toBe(true);
    expect(isDatabaseUnavailable(new Error("Connection terminated unexpectedly"))).toBe(true);
    const wrapped = new Error("Failed query: insert …", {
      cause: withCode("too many clients", "53300"),
    });
    expect(isDatabaseUnavailable(wrapped)).toBe(true);
  });

  it("is false for errors about the data or the query", () => {
    expect(isDatabaseUnavailable(withCode("duplicate key", "23505"))).toBe(false);
    expect(isDatabaseUnavailable(withCode("syntax error", "42601"))).toBe(false);
    expect(isDatabaseUnavailable(new Error("boom"))).toBe(false);
    expect(isDatabaseUnavailable("not an error")).toBe(false);
  });
});
