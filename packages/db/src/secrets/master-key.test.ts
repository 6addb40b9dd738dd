import { describe, expect, it } from "vitest";
import { MasterKeyError, parseMasterKey } from "./master-key";

const BYTES = Buffer.alloc(32, 7);

describe("parseMasterKey", () => {
  it("accepts 32 bytes as hex, base64 and base64url, with the same id", () => {
    const ids = [
      BYTES.toString("hex"),
      BYTES.toString("base64"),
      Buffer.alloc(32, 0xfb).toString("base64url"),
    ].map((v) => parseMasterKey(v).id);
    expect(ids[0]).toMatch(/^[0-9a-f]{8}$/);
    expect(ids[1]).toBe(ids[0]);
    expect(parseMasterKey(Buffer.alloc(32, 0xfb).toString("base64")).id).toBe(ids[2]);
  });

  it("names a missing key", () => {
    expect(() => parseMasterKey(undefined)).toThrow(/MASTER_KEY is not set/);
    expect(() => parseMasterKey("  ")).toThrow(MasterKeyError);
  });

  it("names the wrong length and never echoes the value", () => {
    const short = Buffer.alloc(16, 1).toString("base64");
    expect(() => parseMasterKey(short)).toThrow(/decodes to 16 bytes, expected 32/);
    try {
      parseMasterKey(short);
    } catch (err) {
      expect((err as Error).message).not.toContain(short);
    }
  });

  it("rejects text that is neither hex nor base64", () => {
    expect(() => parseMasterKey("not a key!")).toThrow(/MASTER_KEY is malformed/);
  });
});
