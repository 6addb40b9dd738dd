import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret, SecretDecryptError, secretKeyId } from "./encrypt-secret";
import { masterKeyFromBytes } from "./master-key";

const keyA = masterKeyFromBytes(Buffer.alloc(32, 1));
const keyB = masterKeyFromBytes(Buffer.alloc(32, 2));

describe("encryptSecret / decryptSecret", () => {
  it("round-trips and names the key it used", () => {
    const ct = encryptSecret("gsk_secret", keyA, "provider:groq");
    expect(ct).not.toContain("gsk_secret");
    expect(secretKeyId(ct)).toBe(keyA.id);
    expect(decryptSecret(ct, keyA, "provider:groq")).toBe("gsk_secret");
  });

  it("uses a fresh IV each time", () => {
    expect(encryptSecret("x", keyA)).not.toBe(encryptSecret("x", keyA));
  });

  it("fails clearly on the wrong key", () => {
    const ct = encryptSecret("s", keyA);
    expect(() => decryptSecret(ct, keyB)).toThrow(
      `secret was encrypted with master key ${keyA.id}, but the given master key is ${keyB.id}`,
    );
  });

  it("fails on tampering and on a ciphertext moved to another record", () => {
    const ct = encryptSecret("secret", keyA, "provider:a");
    const parts = ct.split(":");
    const body = Buffer.from(parts[4]!, "base64url");
    body[0] = body[0]! ^ 1;
    parts[4] = body.toString("base64url");
    expect(() => decryptSecret(parts.join(":"), keyA, "provider:a")).toThrow(/altered/);
    expect(() => decryptSecret(ct, keyA, "provider:b")).toThrow(SecretDecryptError);
    expect(() => decryptSecret("garbage", keyA)).toThrow(/not a 429chain ciphertext/);
  });
});
