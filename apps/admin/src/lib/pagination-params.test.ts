import { encodeRequestLogCursor } from "@429chain/db/request-log-cursor";
import { describe, expect, it } from "vitest";
import { paginationProblem } from "./pagination-params";

const q = (query: string) => new URLSearchParams(query);

describe("paginationProblem", () => {
  it("accepts the links the console makes, and no link at all", () => {
    const cursor = encodeRequestLogCursor({ at: new Date(), requestId: "req_1" });
    expect(paginationProblem("/requests", q(`cursor=${cursor}&chain=fast`))).toBeNull();
    expect(paginationProblem("/requests", q("chain=fast"))).toBeNull();
    expect(paginationProblem("/requests", q("cursor="))).toBeNull();
    expect(paginationProblem("/audit", q("before=42&actor=cli"))).toBeNull();
    expect(paginationProblem("/audit", q(""))).toBeNull();
  });

  it("names a malformed request-log cursor", () => {
    for (const cursor of ["abc", "%00", "W10", "eyJ4IjoxfQ"]) {
      expect(paginationProblem("/requests", q(`cursor=${cursor}`)), cursor).toMatch(
        /^\?cursor= is not a request-log page link/,
      );
    }
  });

  it("names a malformed audit page link", () => {
    for (const before of ["abc", "0", "-1", "1.5", "1e3", "99999999999999999"]) {
      expect(paginationProblem("/audit", q(`before=${before}`)), before).toMatch(
        /^\?before= must be an audit entry id/,
      );
    }
  });

  it("leaves other pages alone", () => {
    expect(paginationProblem("/dashboard", q("cursor=abc&before=x"))).toBeNull();
  });
});
