import { chatPath, MOCK } from "./mock-routes";

export const BENCH_API_KEY = "sk-bench";

/** Chain names the load generators ask for as `model`. */
export const CHAINS = {
  fast: "fast",
  short: "short",
  long: "long",
  /** Two entries, the first always answering 500: one extra waterfall hop per request. */
  hop: "hop",
  /** The fast mock's embeddings (an embeddings chain). */
  embed: "embed",
} as const;

function provider(id: string, upstreamUrl: string, prefix: string) {
  return { id, name: id, type: "generic-openai", apiKey: "x", baseUrl: `${upstreamUrl}${prefix}` };
}

/** One config for every scenario; the circuit never opens so the failing hop stays in play. */
export function buildBenchConfig(upstreamUrl: string) {
  return {
    version: 1,
    settings: {
      apiKeys: [BENCH_API_KEY],
      defaultChain: CHAINS.fast,
      circuitBreakerThreshold: 1_000_000,
      requestTimeoutMs: 120_000,
      streamIdleTimeoutMs: 60_000,
    },
    providers: [
      provider("mock-fast", upstreamUrl, MOCK.fast),
      provider("mock-short", upstreamUrl, MOCK.short),
      provider("mock-long", upstreamUrl, MOCK.long),
      provider("mock-fail", upstreamUrl, MOCK.fail),
    ],
    chains: [
      { name: CHAINS.fast, entries: [{ provider: "mock-fast", model: "m" }] },
      { name: CHAINS.short, entries: [{ provider: "mock-short", model: "m" }] },
      { name: CHAINS.long, entries: [{ provider: "mock-long", model: "m" }] },
      { name: CHAINS.embed, kind: "embeddings", entries: [{ provider: "mock-fast", model: "m" }] },
      {
        name: CHAINS.hop,
        entries: [
          { provider: "mock-fail", model: "m" },
          { provider: "mock-fast", model: "m" },
        ],
      },
    ],
  };
}

/** Where a request goes: the mock itself or the gateway in front of it. */
export interface Target {
  label: "direct" | "gateway";
  origin: string;
  path: string;
  headers: Record<string, string>;
  body(stream: boolean): string;
}

function chatBody(model: string, stream: boolean): string {
  return JSON.stringify({ model, stream, messages: [{ role: "user", content: "hi" }] });
}

export function directTarget(upstreamUrl: string, prefix: string): Target {
  return {
    label: "direct",
    origin: upstreamUrl,
    path: chatPath(prefix),
    headers: { "content-type": "application/json" },
    body: (stream) => chatBody("m", stream),
  };
}

export function gatewayTarget(gatewayUrl: string, chain: string): Target {
  return surfaceTarget(gatewayUrl, "/v1/chat/completions", (stream) => chatBody(chain, stream));
}

/** The gateway's endpoint `path` with a body of that API's own shape. */
export function surfaceTarget(
  gatewayUrl: string,
  path: string,
  body: (stream: boolean) => string,
): Target {
  return {
    label: "gateway",
    origin: gatewayUrl,
    path,
    headers: { "content-type": "application/json", authorization: `Bearer ${BENCH_API_KEY}` },
    body,
  };
}
