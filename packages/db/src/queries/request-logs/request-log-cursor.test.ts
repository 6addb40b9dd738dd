import { describe, expect, it } from "vitest";
import { decodeRequestLogCursor, encodeRequestLogCursor } from "./request-log-cursor";

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

describe("request-log cursor", () => {
  it("decodes what it encodes", () => {
    const cursor = { at: new Date("2026-03-01T12:00:00.123Z"), requestId: "req_01J9" };
    expect(decodeRequestLogCursor(encodeRequestLogCursor(cursor))).toEqual(cursor);
  });

  it("refuses anything else", () => {
    const bad = [
      "",
      "not base64!",
      "%%%",
      b64("just a string"),
      b64([1, 2]),
      b64([1.5, "r"]),
      b64([-1, "r"]),
      b64([8_640_000_000_000_001, "r"]),
      b64([1, ""]),
      b64([1, "r".repeat(129)]),
      b64([1, "r", "extra"]),
      Buffer.from("{not json").toString("base64url"),
      "A".repeat(600),
    ];
    for (const text of bad) expect(decodeRequestLogCursor(text), text).toBeNull();
  });
});
