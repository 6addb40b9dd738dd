import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ERROR_STATUS, ERROR_STATUSES, type ErrorCode } from "@429chain/contracts";
import { describe, expect, it } from "vitest";
import { GatewayError } from "./errors";

const repo = fileURLToPath(new URL("../../../", import.meta.url));

/** Non-test TypeScript under `dir`, as [path, text]. */
function sources(dir: string): [string, string][] {
  return readdirSync(join(repo, dir), { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts") && !file.includes(".test.") && !file.includes("fixture"))
    .map((file) => [join(dir, file), readFileSync(join(repo, dir, file), "utf8")]);
}

/** The code of every error the gateway or its stream encoders can put on the wire. */
const EMITTERS = ["apps/gateway/src", "packages/translate/src"];
/** OpenAI's own Responses enum for `response.error.code`, beside our code in the error frame. */
const FOREIGN_CODES = new Set(["server_error"]);

describe("the closed set of error codes", () => {
  it("answers each code with its own status, and an alternative only when the table lists it", () => {
    for (const code of Object.keys(ERROR_STATUSES) as ErrorCode[]) {
      expect(new GatewayError(code, "x").status).toBe(ERROR_STATUS[code]);
    }
    expect(new GatewayError("all_providers_exhausted", "x", { status: 503 }).status).toBe(503);
    // A pair outside the table throws, even where the type system was bypassed.
    const status = 500 as 429;
    expect(() => new GatewayError("key_rate_limited", "x", { status })).toThrow(/never answered/);
  });

  it("every code written in the gateway and its SSE encoders is in the table", () => {
    const found: string[] = [];
    for (const [path, text] of EMITTERS.flatMap(sources)) {
      const codes = [
        ...text.matchAll(/new GatewayError\(\s*"([a-z_]+)"/g),
        ...text.matchAll(/\bcode: "([a-z_]+)"/g),
      ].map((m) => m[1] as string);
      for (const code of codes) {
        if (!(code in ERROR_STATUSES) && !FOREIGN_CODES.has(code)) found.push(`${path}: ${code}`);
      }
    }
    expect(found).toEqual([]);
  });

  it("no reply is sent with an error status written beside it instead of the table's", () => {
    const found: string[] = [];
    for (const [path, text] of sources("apps/gateway/src")) {
      for (const m of text.matchAll(/\.code\(\s*([45]\d\d)\s*\)/g)) {
        // 499: the client went away; nothing is answered.
        if (m[1] !== "499") found.push(`${path}: .code(${m[1]})`);
      }
    }
    expect(found).toEqual([]);
  });
});
