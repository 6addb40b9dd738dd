/** A host and port of a cluster node or a sentinel. */
export interface RedisNode {
  host: string;
  port: number;
}

/** Credentials and TLS shared by every node of a cluster or a Sentinel-managed deployment. */
export interface RedisAuth {
  username?: string;
  password?: string;
  tls: boolean;
}

export type RedisTarget =
  /** One server: the URL goes to ioredis as it is. */
  | { kind: "single"; url: string }
  /** Seed nodes of a Redis Cluster; the client discovers the others. */
  | ({ kind: "cluster"; nodes: RedisNode[] } & RedisAuth)
  /** Sentinels to ask for the current master of `masterName`. */
  | ({
      kind: "sentinel";
      sentinels: RedisNode[];
      masterName: string;
      db: number;
      sentinelPassword?: string;
    } & RedisAuth);

export type ParsedRedisUrl = { ok: true; target: RedisTarget } | { ok: false; error: string };

/** What REDIS_URL may be, for error messages and docs. */
export const REDIS_URL_FORMS =
  "redis://host:port or rediss://host:port (one server), " +
  "redis+cluster://host:port,host:port (Redis Cluster; also rediss+cluster://, or a " +
  "comma-separated list of redis:// URLs) or " +
  "redis+sentinel://host:port,host:port/<master-name> (Sentinel; also rediss+sentinel://)";

const DEFAULT_PORT = { cluster: 6379, sentinel: 26379 } as const;

const fail = (error: string): ParsedRedisUrl => ({ ok: false, error });

/** "host", "host:port", "[::1]:port". */
function parseNode(text: string, defaultPort: number): RedisNode | null {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:/?#@\s[\]]+))(?::(\d{1,5}))?$/.exec(text);
  if (!m) return null;
  const host = (m[1] ?? m[2]) as string;
  if (m[3] === undefined) return { host, port: defaultPort };
  const port = Number(m[3]);
  return port >= 1 && port <= 65_535 ? { host, port } : null;
}

function parseNodes(text: string, defaultPort: number): RedisNode[] | null {
  const nodes: RedisNode[] = [];
  for (const part of text.split(",")) {
    const node = parseNode(part.trim(), defaultPort);
    if (!node) return null;
    nodes.push(node);
  }
  return nodes;
}

function safeDecode(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

function decodeUserinfo(userinfo: string): Pick<RedisAuth, "username" | "password"> | null {
  try {
    const at = userinfo.indexOf(":");
    const username = decodeURIComponent(at < 0 ? userinfo : userinfo.slice(0, at));
    const password = at < 0 ? undefined : decodeURIComponent(userinfo.slice(at + 1));
    return {
      ...(username ? { username } : {}),
      ...(password ? { password } : {}),
    };
  } catch {
    return null;
  }
}

function parseSingle(text: string): URL | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.protocol !== "redis:" && url.protocol !== "rediss:") return null;
  return url.hostname ? url : null;
}

/** `redis+cluster://` and `redis+sentinel://` (and their rediss+ forms): several hosts. */
function parseMultiHost(text: string): ParsedRedisUrl {
  const m = /^(rediss?)\+(cluster|sentinel):\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?$/.exec(text);
  if (!m) return fail(`must be ${REDIS_URL_FORMS}`);
  const [, scheme, kind, authority = "", path = "", query = ""] = m;
  const at = authority.lastIndexOf("@");
  const auth = decodeUserinfo(at < 0 ? "" : authority.slice(0, at));
  if (!auth) return fail("has a malformed user name or password (percent-encode it)");
  const hosts = authority.slice(at + 1);
  const nodes = parseNodes(hosts, DEFAULT_PORT[kind as "cluster" | "sentinel"]);
  if (!hosts || !nodes) return fail(`lists no valid host:port (must be ${REDIS_URL_FORMS})`);
  const tls = scheme === "rediss";
  if (kind === "cluster") {
    if (path !== "" && path !== "/") return fail("a Redis Cluster has only database 0: no path");
    return { ok: true, target: { kind: "cluster", nodes, tls, ...auth } };
  }
  const [encodedName, dbText, ...rest] = path.replace(/^\//, "").split("/");
  const masterName = encodedName ? safeDecode(encodedName) : null;
  if (!masterName || rest.length > 0) {
    return fail("must name the master: redis+sentinel://host:port,host:port/<master-name>");
  }
  const db = dbText === undefined || dbText === "" ? 0 : Number(dbText);
  if (!Number.isInteger(db) || db < 0) return fail("has a database number that is not one");
  const params = new URLSearchParams(query);
  const sentinelPassword = params.get("sentinelPassword") ?? undefined;
  return {
    ok: true,
    target: {
      kind: "sentinel",
      sentinels: nodes,
      masterName,
      db,
      tls,
      ...auth,
      ...(sentinelPassword ? { sentinelPassword } : {}),
    },
  };
}

/** A comma-separated list of redis:// URLs: the seed nodes of a cluster. */
function parseNodeList(text: string): ParsedRedisUrl {
  const urls = text.split(",").map((part) => parseSingle(part.trim()));
  if (urls.some((u) => u === null)) return fail(`must be ${REDIS_URL_FORMS}`);
  const list = urls as URL[];
  const first = list[0]!;
  if (list.some((u) => u.protocol !== first.protocol)) {
    return fail("mixes redis:// and rediss:// nodes");
  }
  if (list.some((u) => u.pathname !== "" && u.pathname !== "/")) {
    return fail("a Redis Cluster has only database 0: no path");
  }
  const auth = decodeUserinfo(
    first.username || first.password ? `${first.username}:${first.password}` : "",
  );
  if (!auth) return fail("has a malformed user name or password (percent-encode it)");
  const nodes = list.map((u) => ({
    host: u.hostname.replace(/^\[(.*)\]$/, "$1"),
    port: u.port ? Number(u.port) : DEFAULT_PORT.cluster,
  }));
  return {
    ok: true,
    target: { kind: "cluster", nodes, tls: first.protocol === "rediss:", ...auth },
  };
}

/** Reads REDIS_URL: one server, a cluster's seed nodes, or the sentinels of a master. */
export function parseRedisUrl(text: string): ParsedRedisUrl {
  const value = text.trim();
  if (/^rediss?\+/.test(value)) return parseMultiHost(value);
  // A list only when another URL follows a comma: a password may hold a comma of its own.
  if (/,\s*rediss?:\/\//.test(value)) return parseNodeList(value);
  return parseSingle(value)
    ? { ok: true, target: { kind: "single", url: value } }
    : fail(`must be ${REDIS_URL_FORMS}`);
}
