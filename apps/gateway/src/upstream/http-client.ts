import type { AttemptOutcome } from "@429chain/contracts";
import type { HeaderMap } from "@429chain/providers";
import { Agent, type Dispatcher, request } from "undici";

interface SendOptions {
  url: string;
  /** Every request header, auth included (from `buildUpstreamRequest`). */
  headers: Record<string, string>;
  body: string;
  /** Aborts the attempt: client gone, request deadline, or the attempt's own timers. */
  signal: AbortSignal;
  connectMs: number;
  /** Time allowed until response headers arrive. */
  headersMs: number;
  /** Time allowed between two body chunks. */
  idleMs: number;
}

export type SendResult =
  | { kind: "response"; status: number; headers: HeaderMap; body: Dispatcher.ResponseData["body"] }
  | { kind: "failure"; outcome: AttemptOutcome };

/** One keep-alive agent per connect timeout; undici pools connections per origin inside it. */
export class UpstreamClient {
  private readonly agents = new Map<number, Agent>();

  private agentFor(connectMs: number): Agent {
    let agent = this.agents.get(connectMs);
    if (!agent) {
      agent = new Agent({
        connect: { timeout: connectMs },
        keepAliveTimeout: 30_000,
        keepAliveMaxTimeout: 120_000,
      });
      this.agents.set(connectMs, agent);
    }
    return agent;
  }

  async send(opts: SendOptions): Promise<SendResult> {
    try {
      const res = await request(opts.url, {
        method: "POST",
        dispatcher: this.agentFor(opts.connectMs),
        headers: opts.headers,
        body: opts.body,
        signal: opts.signal,
        headersTimeout: opts.headersMs,
        bodyTimeout: opts.idleMs,
      });
      return { kind: "response", status: res.statusCode, headers: res.headers, body: res.body };
    } catch (err) {
      return { kind: "failure", outcome: transportFailure(err, opts.signal, false) };
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.agents.values()].map((a) => a.close()));
    this.agents.clear();
  }
}

/** Why an attempt was aborted: set as the AbortSignal reason by the waterfall. */
export class AttemptAbort extends Error {
  constructor(readonly kind: "client" | "deadline" | "first_byte" | "attempt_timeout") {
    super(kind);
  }
}

/** Maps a thrown transport error to an outcome. Never includes request content. */
export function transportFailure(
  err: unknown,
  signal: AbortSignal,
  midStream: boolean,
): AttemptOutcome {
  if (signal.aborted) {
    const reason = signal.reason;
    if (reason instanceof AttemptAbort) {
      if (reason.kind === "client") return { kind: "cancelled" };
      if (reason.kind === "deadline") {
        return {
          kind: "timeout",
          phase: "deadline",
          reason: "request deadline exceeded",
          midStream,
        };
      }
      if (reason.kind === "first_byte") {
        return {
          kind: "timeout",
          phase: "first_byte",
          reason: "no first token in time",
          midStream,
        };
      }
      // The whole answer of a non-streamed attempt did not come in time.
      return { kind: "timeout", phase: "first_byte", reason: "attempt timed out", midStream };
    }
  }
  const code = (err as { code?: string } | null)?.code;
  switch (code) {
    case "UND_ERR_CONNECT_TIMEOUT":
      return { kind: "timeout", phase: "connect", reason: "connect timeout", midStream };
    case "UND_ERR_HEADERS_TIMEOUT":
      return {
        kind: "timeout",
        phase: "first_byte",
        reason: "no response headers in time",
        midStream,
      };
    case "UND_ERR_BODY_TIMEOUT":
      return { kind: "timeout", phase: "idle", reason: "upstream went idle", midStream };
    default:
      return {
        kind: "upstream_error",
        reason: code
          ? `connection error: ${code}`
          : `upstream error: ${err instanceof Error ? err.message : "unknown"}`,
        midStream,
      };
  }
}
