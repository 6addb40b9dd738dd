import type { AttemptOutcome, RateLimitWindow } from "@429chain/contracts";
import { buildUpstreamRequest, type HeaderMap } from "@429chain/providers";
import type { CompiledEntry } from "../config/snapshot";
import { GatewayError } from "../errors";
import type { SendResult } from "../upstream/http-client";
import type { AttemptContext, AttemptResult } from "./attempt-types";
import type { AttemptTimeouts } from "./timeouts";

/** Shapes the request with the provider's quirks and sends it to the entry. */
export async function sendToEntry(
  entry: CompiledEntry,
  ctx: AttemptContext,
  stream: boolean,
  signal: AbortSignal,
  t: AttemptTimeouts,
): Promise<SendResult> {
  const { call } = ctx;
  const prepared = buildUpstreamRequest(entry.provider, call.op, {
    body: call.body,
    model: entry.model,
    stream,
    ...(call.clientHeaders ? { clientHeaders: call.clientHeaders } : {}),
  });
  // The surface only builds calls the entry's API offers (callFor); this is a bug guard.
  if (!prepared) throw new Error(`${entry.provider.type} offers no '${call.op}' endpoint`);
  return ctx.client.send({
    url: prepared.url,
    headers: prepared.headers,
    body: serialize(prepared.body),
    signal,
    connectMs: t.connectMs,
    headersMs: t.firstByteMs,
    idleMs: t.idleMs,
  });
}

/** The upstream body as JSON; a body that cannot be written back out is the client's 400. */
function serialize(body: Record<string, unknown>): string {
  try {
    return JSON.stringify(body);
  } catch {
    throw new GatewayError("invalid_request", "The request body cannot be re-encoded as JSON.");
  }
}

/**
 * A complete answer that is not served: a client error (returned as is) or a failure. An "ok"
 * outcome here means the answer was well-formed but unusable, described by `okMeans`.
 */
export function unservedResult(
  res: { status: number; headers: HeaderMap; body: string },
  outcome: AttemptOutcome,
  windows: RateLimitWindow[],
  okMeans: string,
): AttemptResult {
  if (outcome.kind === "client_error") {
    return {
      kind: "client_error",
      outcome,
      status: res.status,
      headers: res.headers,
      body: res.body,
      windows,
    };
  }
  const failure =
    outcome.kind === "ok"
      ? { kind: "upstream_error" as const, status: res.status, reason: okMeans }
      : outcome;
  return { kind: "failed", outcome: failure, status: res.status, windows };
}
