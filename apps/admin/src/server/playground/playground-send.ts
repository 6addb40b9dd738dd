import "server-only";
import { summariseEmbeddings } from "./embedding-summary";
import {
  errorResponse,
  type PlaygroundGatewayDeps,
  postToGateway,
  relayHeaders,
} from "./playground-gateway";
import type { PlaygroundInput, PlaygroundMode } from "./playground-input";

/** The gateway call of each mode: chat and Responses stream, embeddings answer at once. */
function gatewayRequest(input: PlaygroundInput): { path: string; body: unknown } {
  const byMode: Record<PlaygroundMode, () => { path: string; body: unknown }> = {
    chat: () => ({
      path: "/v1/chat/completions",
      body: {
        model: input.chain,
        messages: [{ role: "user", content: input.prompt }],
        stream: true,
        stream_options: { include_usage: true },
      },
    }),
    responses: () => ({
      path: "/v1/responses",
      body: { model: input.chain, input: input.prompt, stream: true },
    }),
    embeddings: () => ({
      path: "/v1/embeddings",
      body: { model: input.chain, input: input.prompt },
    }),
  };
  return byMode[input.mode]();
}

/**
 * Sends the prompt through the gateway in the input's mode with the playground's own client
 * key. Streams (chat, Responses) and every error answer are relayed unchanged; an embeddings
 * answer is summarised (length, a short preview), so the whole vector never reaches the page.
 */
export async function sendPlayground(
  deps: PlaygroundGatewayDeps,
  input: PlaygroundInput,
  signal: AbortSignal,
): Promise<Response> {
  const { path, body } = gatewayRequest(input);
  const answer = await postToGateway(deps, path, JSON.stringify(body), signal);
  if (!answer.ok) return answer.response;
  const { upstream } = answer;
  if (input.mode !== "embeddings" || !upstream.ok) {
    return new Response(upstream.body, {
      status: upstream.status,
      headers: relayHeaders(upstream),
    });
  }
  const summary = summariseEmbeddings(await upstream.json().catch(() => null));
  if (!summary) {
    return errorResponse(502, "The gateway's answer to /v1/embeddings is not an embeddings list.");
  }
  return new Response(JSON.stringify(summary), {
    status: 200,
    headers: relayHeaders(upstream, "application/json"),
  });
}
