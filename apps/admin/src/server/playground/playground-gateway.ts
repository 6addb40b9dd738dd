import "server-only";
import type { PlaygroundKey } from "./playground-key";

/** Gateway response headers the playground shows (which entry served, how many calls). */
const FORWARDED_HEADERS = ["x-request-id", "x-429chain-provider", "x-429chain-attempts"];

export interface PlaygroundGatewayDeps {
  gatewayUrl: string;
  key: () => Promise<PlaygroundKey>;
  /** A just-created key reaches the gateways with the next config reload: wait this long. */
  newKeyWaitMs: number;
  retryDelayMs: number;
}

export function errorResponse(status: number, message: string): Response {
  return Response.json({ error: message }, { status });
}

/** The gateway's answer, or the playground's own error when there is none to relay. */
type GatewayAnswer = { ok: true; upstream: Response } | { ok: false; response: Response };

/**
 * POSTs `body` to the gateway's `path` with the playground's own client key. A key created by
 * this call is retried on 401 until the gateways have reloaded their config (bounded). The
 * body is never logged.
 */
export async function postToGateway(
  deps: PlaygroundGatewayDeps,
  path: string,
  body: string,
  signal: AbortSignal,
): Promise<GatewayAnswer> {
  const { key, createdVersion } = await deps.key();
  const url = `${deps.gatewayUrl.replace(/\/+$/, "")}${path}`;
  const deadline = Date.now() + (createdVersion === null ? 0 : deps.newKeyWaitMs);
  let upstream: Response;
  for (;;) {
    try {
      upstream = await fetch(url, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body,
        signal,
      });
    } catch (err) {
      if (signal.aborted) throw err;
      const cause = (err as Error & { cause?: Error }).cause?.message ?? (err as Error).message;
      return {
        ok: false,
        response: errorResponse(502, `Cannot reach the gateway at ${deps.gatewayUrl}: ${cause}.`),
      };
    }
    if (upstream.status !== 401 || Date.now() >= deadline) break;
    await upstream.body?.cancel();
    await new Promise((resolve) => setTimeout(resolve, deps.retryDelayMs));
  }
  if (upstream.status === 401) {
    await upstream.body?.cancel();
    return {
      ok: false,
      response: errorResponse(
        502,
        `The gateway at ${deps.gatewayUrl} refused the playground's key (admin-playground). ` +
          "It must run in database mode (DATABASE_URL) on this database; it picks up new keys " +
          "at its next config reload.",
      ),
    };
  }
  return { ok: true, upstream };
}

/** The headers of a relayed answer: no buffering, and the gateway's serving details. */
export function relayHeaders(upstream: Response, contentType?: string): Headers {
  const headers = new Headers({
    "content-type":
      contentType ?? upstream.headers.get("content-type") ?? "application/octet-stream",
    "cache-control": "no-cache, no-transform",
    "x-accel-buffering": "no",
  });
  for (const name of FORWARDED_HEADERS) {
    const value = upstream.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  return headers;
}
