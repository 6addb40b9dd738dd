import { describe, expect, it } from "vitest";
import { parseRedisUrl } from "./redis-url";
import { RedisUrlSchema } from "./redis-url-schema";

const target = (url: string) => {
  const parsed = parseRedisUrl(url);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.target;
};
const error = (url: string) => {
  const parsed = parseRedisUrl(url);
  if (parsed.ok) throw new Error(`accepted ${url}`);
  return parsed.error;
};

describe("parseRedisUrl", () => {
  it("passes one server's URL through as it is", () => {
    expect(target("redis://127.0.0.1:6379")).toEqual({
      kind: "single",
      url: "redis://127.0.0.1:6379",
    });
    expect(target("rediss://u:p@redis.example.com:6380/2").kind).toBe("single");
    // A comma in a password does not make a node list.
    expect(target("redis://:pa,ss@h:6379")).toEqual({
      kind: "single",
      url: "redis://:pa,ss@h:6379",
    });
  });

  it("reads a cluster's seed nodes, credentials and TLS", () => {
    expect(target("redis+cluster://127.0.0.1:7001,127.0.0.1:7002,[::1]:7003,node4")).toEqual({
      kind: "cluster",
      nodes: [
        { host: "127.0.0.1", port: 7001 },
        { host: "127.0.0.1", port: 7002 },
        { host: "::1", port: 7003 },
        { host: "node4", port: 6379 },
      ],
      tls: false,
    });
    expect(target("rediss+cluster://app:p%3Aw@a:1/")).toEqual({
      kind: "cluster",
      nodes: [{ host: "a", port: 1 }],
      tls: true,
      username: "app",
      password: "p:w",
    });
  });

  it("reads a list of redis:// URLs as a cluster", () => {
    expect(target("redis://:pw@a:7001, redis://b:7002")).toEqual({
      kind: "cluster",
      nodes: [
        { host: "a", port: 7001 },
        { host: "b", port: 7002 },
      ],
      tls: false,
      password: "pw",
    });
  });

  it("reads sentinels, the master name and the database", () => {
    expect(target("redis+sentinel://s1,s2:26380/mymaster")).toEqual({
      kind: "sentinel",
      sentinels: [
        { host: "s1", port: 26379 },
        { host: "s2", port: 26380 },
      ],
      masterName: "mymaster",
      db: 0,
      tls: false,
    });
    expect(target("rediss+sentinel://:pw@s1:1/main/3?sentinelPassword=spw")).toMatchObject({
      masterName: "main",
      db: 3,
      tls: true,
      password: "pw",
      sentinelPassword: "spw",
    });
  });

  it("says what is allowed, and never repeats a password", () => {
    for (const url of ["http://x", "redis://", "", "redis+cluster://", "redis+proxy://a:1"]) {
      expect(error(url)).toMatch(/redis\+cluster:\/\/.*redis\+sentinel:\/\//);
    }
    expect(error("redis+sentinel://s1:26379")).toMatch(/must name the master/);
    expect(error("redis+sentinel://s1/%zz")).toMatch(/must name the master/);
    expect(error("redis+cluster://a:1/2")).toMatch(/only database 0/);
    expect(error("redis+cluster://a:99999")).toMatch(/no valid host:port/);
    expect(error("redis://a:1,rediss://b:2")).toMatch(/mixes/);
    expect(error("redis+cluster://:%zz-secret@a:1")).not.toContain("secret");
    const parsed = RedisUrlSchema.safeParse("redis+sentinel://:hunter2@s1");
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).not.toContain("hunter2");
  });
});
