import { z } from "zod";
import type { PlaygroundKey } from "./playground-key";

export const PlaygroundInputSchema = z.object({
  chain: z.string().trim().min(1, "pick a chain"),
  prompt: z
    .string()
    .trim()
    .min(1, "type a prompt")
    .max(32_000, "keep the prompt under 32,000 characters"),
});
export type PlaygroundInput = z.infer<typeof PlaygroundInputSchema>;

/** Gateway response headers the playground shows (which entry served, how many calls). */
export const FORWARDED_HEADERS = ["x-request-id", "x-429chain-provider", "x-429chain-attempts"];

export interface PlaygroundChatDeps {
  gatewayUrl: string;
  key: () => Promise<PlaygroundKey>;
  /** A just-created key reaches the gateways with the next config reload: wait this long. */
  newKeyWaitMs: number;
  retryDelayMs: number;
}

function errorResponse(status: number, message: string): Response {
  return Response.json({ error: message }, { status });
}

/**
 * Sends the prompt to the gateway as a streaming chat completion with the playground's own
 * client key and relays the answer unchanged. The prompt is never logged.
 */
export async function sendPlaygroundChat(
  deps: PlaygroundChatDeps,
  input: PlaygroundInput,
  signal: AbortSignal,
): Promise<Response> {
  const { key, createdVersion } = await deps.key();
  const url = `${deps.gatewayUrl.replace(/\/+$/, "")}/v1/chat/completions`;
  const body = JSON.stringify({
    model: input.chain,
    messages: [{ role: "user", content: input.prompt }],
    stream: true,
    stream_options: { include_usage: true },
  });
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
      return errorResponse(502, `Cannot reach the gateway at ${deps.gatewayUrl}: ${cause}.`);
    }
    if (upstream.status !== 401 || Date.now() >= deadline) break;
    await upstream.body?.cancel();
    await new Promise((resolve) => setTimeout(resolve, deps.retryDelayMs));
  }
  if (upstream.status === 401) {
    await upstream.body?.cancel();
    return errorResponse(
      502,
      `The gateway at ${deps.gatewayUrl} refused the playground's key (admin-playground). ` +
        "It must run in database mode (DATABASE_URL) on this database; it picks up new keys " +
        "at its next config reload.",
    );
  }
  const headers = new Headers({
    "content-type": upstream.headers.get("content-type") ?? "application/octet-stream",
    "cache-control": "no-cache, no-transform",
    "x-accel-buffering": "no",
  });
  for (const name of FORWARDED_HEADERS) {
    const value = upstream.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  return new Response(upstream.body, { status: upstream.status, headers });
}
