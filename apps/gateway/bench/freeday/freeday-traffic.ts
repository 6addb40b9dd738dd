import { setTimeout as delay } from "node:timers/promises";
import { Pool } from "undici";
import type { ClientOutcome, QueuePlace } from "./freeday-judge";
import { requestBody } from "./freeday-request";
import type { ScheduledRequest } from "./freeday-schedule";

export interface TrafficOptions {
  schedule: readonly ScheduledRequest[];
  /** Gateway replicas; request i goes to replica i mod n (a round-robin load balancer). */
  replicas: readonly string[];
  /** Epoch ms of minute 0 of the compressed day. */
  startAt: number;
  keys: readonly string[];
  model: string;
}

// Generous: a request that waits this long has failed anyway, and the run must end.
const CLIENT_TIMEOUT_MS = 60_000;
const STREAM_ERROR = /^event: error|^data: ?\{"error"/m;

function isWhole(item: ScheduledRequest, status: number, text: string): boolean {
  if (status !== 200) return false;
  if (item.stream) return /^data: ?\[DONE\]/m.test(text) && !STREAM_ERROR.test(text);
  try {
    const json = JSON.parse(text) as { choices?: unknown };
    return Array.isArray(json.choices);
  } catch {
    return false;
  }
}

type Attempts = ClientOutcome["attempts"];

/** `ticket=…; joined-at=…; wait-ms=…` from the header, or the comment of a started stream. */
function queuePlaceOf(header: unknown, text: string): QueuePlace | undefined {
  const value = typeof header === "string" ? header : /^: served (ticket=[^\n]*)$/m.exec(text)?.[1];
  if (!value) return undefined;
  const field = (name: string) => Number(new RegExp(`${name}=(\\d+)`).exec(value)?.[1]);
  const place = { ticket: field("ticket"), joinedAt: field("joined-at"), waitMs: field("wait-ms") };
  return Object.values(place).every(Number.isFinite) ? place : undefined;
}

/** The attempts a gateway 429 lists, to tell why it refused. */
function attemptsOf(text: string): Attempts {
  try {
    const json = JSON.parse(text) as { error?: { attempts?: unknown } };
    const list = json.error?.attempts;
    if (!Array.isArray(list)) return undefined;
    return list.map((a: Record<string, unknown>) => ({
      provider: String(a.provider),
      outcome: String(a.outcome),
      reason: String(a.reason ?? ""),
    }));
  } catch {
    return undefined;
  }
}

async function send(
  pool: Pool,
  item: ScheduledRequest,
  options: TrafficOptions,
): Promise<ClientOutcome> {
  const sentAt = Date.now();
  try {
    const res = await pool.request({
      method: "POST",
      path: "/v1/chat/completions",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${options.keys[item.key]}`,
      },
      body: JSON.stringify(requestBody(item, options.model)),
      headersTimeout: CLIENT_TIMEOUT_MS,
      bodyTimeout: CLIENT_TIMEOUT_MS,
    });
    const answeredAt = Date.now();
    const text = await res.body.text();
    const complete = isWhole(item, res.statusCode, text);
    const outcome: ClientOutcome = {
      index: item.index,
      sentAt,
      answeredAt,
      status: res.statusCode,
      complete,
    };
    if (res.statusCode === 429) outcome.attempts = attemptsOf(text);
    const queued = complete ? queuePlaceOf(res.headers["x-429chain-queue"], text) : undefined;
    if (queued) outcome.queued = queued;
    return outcome;
  } catch {
    return { index: item.index, sentAt, answeredAt: Date.now(), status: 0, complete: false };
  }
}

/** Sends every request at its scheduled instant (no retries) and records what came back. */
export async function replaySchedule(options: TrafficOptions): Promise<ClientOutcome[]> {
  const pools = options.replicas.map(
    (url) => new Pool(url, { connections: 256, pipelining: 1, keepAliveTimeout: 30_000 }),
  );
  try {
    return await Promise.all(
      options.schedule.map(async (item) => {
        await delay(Math.max(0, options.startAt + item.at - Date.now()));
        return send(pools[item.index % pools.length]!, item, options);
      }),
    );
  } finally {
    await Promise.all(pools.map((p) => p.close()));
  }
}
