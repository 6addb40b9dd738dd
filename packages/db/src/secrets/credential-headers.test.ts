import { describe, expect, it } from "vitest";
import { splitHeaders } from "./credential-headers";

describe("splitHeaders", () => {
  it("separates the credentials from the rest", () => {
    expect(
      splitHeaders({ "HTTP-Referer": "https://a.example", "X-Api-Key": "k", "x-title": "t" }),
    ).toEqual({
      plain: { "HTTP-Referer": "https://a.example", "x-title": "t" },
      credentials: { "X-Api-Key": "k" },
    });
    expect(splitHeaders(undefined)).toEqual({ plain: null, credentials: null });
    expect(splitHeaders({ authorization: "Bearer x" })).toEqual({
      plain: null,
      credentials: { authorization: "Bearer x" },
    });
  });
});
