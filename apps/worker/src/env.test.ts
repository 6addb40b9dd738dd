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

  it("takes one server, a cluster or Sentinel as REDIS_URL", () => {
    for (const url of [
      "rediss://u:p@redis:6380",
      "redis+cluster://10.0.0.1:7001,10.0.0.2:7002",
      "redis://10.0.0.1:7001,redis://10.0.0.2:7002",
      "redis+sentinel://s1:26379,s2:26379/mymaster",
    ]) {
      expect(readEnv({ DATABASE_URL: "postgres://u@h/db", REDIS_URL: url }).REDIS_URL).toBe(url);
    }
  });

  it("lists every bad or missing variable", () => {
    expect(() => readEnv({ REDIS_URL: "http://x", WORKER_PORT: "nope" })).toThrow(
      /DATABASE_URL[\s\S]*REDIS_URL[\s\S]*WORKER_PORT/,
    );
  });
});
