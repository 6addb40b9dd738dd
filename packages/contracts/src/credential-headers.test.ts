import { describe, expect, it } from "vitest";
import { isCredentialHeader } from "./credential-headers";

describe("isCredentialHeader", () => {
  it("knows credentials by key, auth, token or secret in the name, in any case", () => {
    for (const name of ["Authorization", "x-api-key", "X-Auth-Token", "Client-SECRET", "apikey"]) {
      expect(isCredentialHeader(name), name).toBe(true);
    }
    for (const name of ["HTTP-Referer", "X-Title", "OpenAI-Organization", "x-team"]) {
      expect(isCredentialHeader(name), name).toBe(false);
    }
  });
});
