import type { TokenUsage } from "@429chain/contracts";
import type { KeyLimiter } from "@429chain/quota";
import type { FastifyReply } from "fastify";
import type { ClientKeyInfo } from "../config/snapshot";
import { GatewayError } from "../errors";

/** The key's own limits, before any upstream is tried: its 429 never waterfalls. */
export async function admitKey(limiter: KeyLimiter, key: ClientKeyInfo): Promise<void> {
  const admission = await limiter.admit(key);
  if (admission.ok) return;
  const retryAfter = String(Math.max(1, Math.ceil((admission.retryAt - Date.now()) / 1000)));
  throw admission.reason === "rate_limited"
    ? new GatewayError(
        "key_rate_limited",
        `This API key is limited to ${key.rpm} requests per minute.`,
        {
          headers: { "retry-after": retryAfter },
        },
      )
    : new GatewayError("key_budget_exceeded", "This API key has used its token budget.", {
        headers: { "retry-after": retryAfter },
      });
}

/** Usage counted by the gateway when the upstream reported none. */
export function estimatedUsage(promptTokens: number, completionTokens: number): TokenUsage {
  return {
    promptTokens,
    completionTokens,
    totalTokens: promptTokens + completionTokens,
    estimated: true,
  };
}

/** A client error from the upstream goes back unchanged (status and body). */
export function sendUpstreamError(
  reply: FastifyReply,
  status: number,
  contentType: string | string[] | undefined,
  body: string,
  headers: Record<string, string>,
) {
  const type = typeof contentType === "string" ? contentType : "application/json";
  return reply.code(status).headers(headers).type(type).send(body);
}
