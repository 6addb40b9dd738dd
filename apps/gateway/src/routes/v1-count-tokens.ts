import { buildUpstreamRequest, estimatePromptTokens } from "@429chain/providers";
import type { QuotaStore } from "@429chain/quota";
import {
  estimateAnthropicInputTokens,
  parseAnthropicRequest,
  prepareNativeAnthropicRequest,
} from "@429chain/translate";
import type { FastifyInstance, onRequestAsyncHookHandler } from "fastify";
import type { ConfigSource } from "../config/config-source";
import { checkChainAllowed } from "../config/key-scope";
import { resolveModel } from "../config/resolve-model";
import type { CompiledEntry } from "../config/snapshot";
import { GatewayError } from "../errors";
import type { UpstreamClient } from "../upstream/http-client";
import { readBodyText } from "../waterfall/read-body";

interface CountTokensOptions {
  config: ConfigSource;
  quota: QuotaStore;
  client: UpstreamClient;
  requireApiKey: onRequestAsyncHookHandler;
}

const COUNT_TIMEOUT_MS = 5_000;

/**
 * `POST /v1/messages/count_tokens`: exact, from the first `anthropic` entry of the chain that
 * is not cooling down; otherwise (no such entry, or it fails) the gateway's own estimate.
 * Counting spends no quota and is not a request of the log.
 */
export async function countTokensRoute(app: FastifyInstance, opts: CountTokensOptions) {
  app.post(
    "/v1/messages/count_tokens",
    { onRequest: opts.requireApiKey, config: { surface: "messages" } },
    async (request, reply) => {
      const body = request.body;
      const withMax =
        body && typeof body === "object" && !Array.isArray(body) && !("max_tokens" in body)
          ? { ...body, max_tokens: 1 }
          : body;
      const parsed = parseAnthropicRequest(withMax);
      if (!parsed.ok) throw new GatewayError("invalid_request", parsed.message);
      const snapshot = opts.config.current();
      const target = resolveModel(snapshot, parsed.request.model);
      checkChainAllowed(request.clientKey, target.name);
      const exact = await countUpstream(
        opts,
        target.chain.entries,
        parsed.request,
        request.headers,
      );
      const estimate = estimateAnthropicInputTokens(parsed.request, estimatePromptTokens);
      reply.header("x-429chain-count", exact === undefined ? "estimate" : "exact");
      return { input_tokens: exact ?? estimate };
    },
  );
}

async function countUpstream(
  opts: CountTokensOptions,
  entries: readonly CompiledEntry[],
  req: Parameters<typeof prepareNativeAnthropicRequest>[0],
  clientHeaders: Record<string, string | string[] | undefined>,
): Promise<number | undefined> {
  const anthropic = entries.filter((e) => e.adapter.endpoints.countTokens !== undefined);
  if (anthropic.length === 0) return undefined;
  const states = await opts.quota.entryStates(anthropic.map((e) => e.policy)).catch(() => []);
  const usable = anthropic.find((_entry, i) => {
    const status = states[i]?.status;
    return status === undefined || status === "available" || status === "tracking";
  });
  if (!usable) return undefined;
  const { body } = prepareNativeAnthropicRequest(req, usable.model);
  const { max_tokens: _max, stream: _stream, ...countBody } = body as Record<string, unknown>;
  const prepared = buildUpstreamRequest(usable.provider, "countTokens", {
    body: countBody,
    model: usable.model,
    stream: false,
    clientHeaders,
  });
  if (!prepared) return undefined;
  const sent = await opts.client.send({
    url: prepared.url,
    headers: prepared.headers,
    body: JSON.stringify(prepared.body),
    signal: AbortSignal.timeout(COUNT_TIMEOUT_MS),
    connectMs: COUNT_TIMEOUT_MS,
    headersMs: COUNT_TIMEOUT_MS,
    idleMs: COUNT_TIMEOUT_MS,
  });
  if (sent.kind !== "response") return undefined;
  try {
    const text = await readBodyText(sent.body, 64 * 1024);
    if (sent.status !== 200) return undefined;
    const count = (JSON.parse(text) as { input_tokens?: unknown }).input_tokens;
    return typeof count === "number" && Number.isFinite(count) ? count : undefined;
  } catch {
    return undefined;
  }
}
