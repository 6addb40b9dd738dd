import { describe, expect, it } from "vitest";
import { readEnv } from "./env";

describe("readEnv", () => {
  it("applies defaults and coerces numbers", () => {
    const env = readEnv({
      DATABASE_URL: "postgres://u@localhost/db",
      REDIS_URL: "redis://localhost:6379",
      WORKER_PORT: "4000",
      BATCH_SIZE: "",
    });
    expect(env).toMatchObject({
      REDIS_KEY_PREFIX: "429chain:",
      WORKER_PORT: 4000,
      BATCH_SIZE: 1_000,
      WORKER_JOB_LOCK_MS: 30_000,
      LOG_LEVEL: "info",
    });
  });

  it("lists every bad or missing variable", () => {
    expect(() => readEnv({ REDIS_URL: "http://x", WORKER_PORT: "nope" })).toThrow(
      /DATABASE_URL[\s\S]*REDIS_URL[\s\S]*WORKER_PORT/,
    );
  });
});
