import type { ChatCompletionRequest, ProviderConfig } from "@429chain/contracts";
import { describe, expect, it } from "vitest";
import { buildUpstreamRequest } from "../build-upstream-request";
import { googleAiAdapter } from "./index";

const NOW = Date.UTC(2026, 5, 15, 12, 0, 0);
// Midnight in Los Angeles (PDT, UTC-7) after NOW.
const PT_MIDNIGHT = Date.UTC(2026, 5, 16, 7);
const res = (status: number, body: unknown) => ({
  status,
  headers: {},
  body: typeof body === "string" ? body : JSON.stringify(body),
  now: NOW,
});
const quotaError = (quotaId: string, message: string, retryDelay = "36s") => [
  {
    error: {
      code: 429,
      message,
      status: "RESOURCE_EXHAUSTED",
      details: [
        {
          "@type": "type.googleapis.com/google.rpc.QuotaFailure",
          violations: [{ quotaMetric: "generativelanguage.googleapis.com/x", quotaId }],
        },
        { "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay },
      ],
    },
  },
];

describe("google-ai headers", () => {
  it("has none", () => {
    expect(googleAiAdapter.parseRateLimitHeaders({ "x-ratelimit-limit": "5" }, NOW)).toEqual([]);
  });
});

describe("google-ai classifyResponse", () => {
  it("rate-limits a per-minute quota for the RetryInfo delay (array body)", () => {
    const body = quotaError(
      "GenerateRequestsPerMinutePerProjectPerModel-FreeTier",
      "You exceeded your current quota. Please retry in 35.2s.",
    );
    expect(googleAiAdapter.classifyResponse(res(429, body))).toEqual({
      kind: "rate_limited",
      scope: "entry",
      retryAt: NOW + 36_000,
      reason: "429 RESOURCE_EXHAUSTED: You exceeded your current quota. Please retry in 35.2s.",
    });
  });

  it("takes the message's precise wait over a RetryInfo rounded down to 0s", () => {
    const body = quotaError(
      "GenerateRequestsPerMinutePerProjectPerModel-FreeTier",
      "You exceeded your current quota. Please retry in 0.43s.",
      "0s",
    );
    expect(googleAiAdapter.classifyResponse(res(429, body))).toMatchObject({
      kind: "rate_limited",
      retryAt: NOW + 430,
    });
  });

  it("treats a per-day quota as exhausted until Pacific midnight despite a short delay", () => {
    const body = quotaError("GenerateRequestsPerDayPerProjectPerModel-FreeTier", "Quota exceeded");
    expect(googleAiAdapter.classifyResponse(res(429, body))).toEqual({
      kind: "quota_exhausted",
      scope: "entry",
      retryAt: PT_MIDNIGHT,
      reason: "429 RESOURCE_EXHAUSTED: per-day quota",
    });
  });

  it("treats limit: 0 as exhausted (model not on the free tier)", () => {
    const body = {
      error: {
        code: 429,
        status: "RESOURCE_EXHAUSTED",
        message:
          "Quota exceeded for metric: generativelanguage.googleapis.com/generate_content_free_tier_requests, limit: 0, model: gemini-2.5-pro",
      },
    };
    expect(googleAiAdapter.classifyResponse(res(429, body))).toMatchObject({
      kind: "quota_exhausted",
      retryAt: PT_MIDNIGHT,
      reason: "429 RESOURCE_EXHAUSTED: limit 0 (model not on free tier)",
    });
  });

  it("treats 400 API_KEY_INVALID as an auth failure, other 400s as client errors", () => {
    const badKey = [
      {
        error: {
          code: 400,
          message: "API key not valid. Please pass a valid API key.",
          status: "INVALID_ARGUMENT",
          details: [
            { "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "API_KEY_INVALID" },
          ],
        },
      },
    ];
    expect(googleAiAdapter.classifyResponse(res(400, badKey))).toEqual({
      kind: "auth_failed",
      scope: "provider",
      status: 400,
      reason: "400 API key not valid",
    });
    const bad = [
      { error: { code: 400, message: "Invalid JSON payload", status: "INVALID_ARGUMENT" } },
    ];
    expect(googleAiAdapter.classifyResponse(res(400, bad))).toEqual({
      kind: "client_error",
      status: 400,
      reason: "400 INVALID_ARGUMENT: Invalid JSON payload",
    });
  });

  it("flags Gemini raw JSON in a stream as an error", () => {
    expect(
      googleAiAdapter.classifyStreamEvent({ event: undefined, data: "[{" }, NOW),
    ).toMatchObject({
      kind: "error",
      outcome: { kind: "upstream_error", midStream: true },
    });
  });
});

describe("google-ai request", () => {
  const provider: ProviderConfig = {
    id: "g",
    name: "Gemini",
    type: "google-ai",
    apiKey: "AIzaX",
    enabled: true,
  };
  const request: ChatCompletionRequest = {
    messages: [
      { role: "system", content: "Be brief." },
      { role: "user", content: "Hello" },
      { role: "assistant", content: "Hi" },
      { role: "user", content: "Bye" },
    ],
    response_format: { type: "json_object" },
    tools: [{ type: "function", function: { name: "f" } }],
    tool_choice: "auto",
  };

  it("folds system messages and drops unsupported fields for Gemma", () => {
    const snapshot = structuredClone(request);
    const body = buildUpstreamRequest(provider, "chat", {
      body: request,
      model: "gemma-3-27b-it",
      stream: false,
    })?.body;
    expect(body).toEqual({
      model: "gemma-3-27b-it",
      stream: false,
      messages: [
        { role: "user", content: "Be brief.\n\nHello" },
        { role: "assistant", content: "Hi" },
        { role: "user", content: "Bye" },
      ],
    });
    expect(request).toEqual(snapshot);
  });

  it("prepends a text part when the first user message has parts", () => {
    const body = buildUpstreamRequest(provider, "chat", {
      body: {
        messages: [
          { role: "system", content: [{ type: "text", text: "Sys" }] },
          { role: "user", content: [{ type: "text", text: "Q" }] },
        ],
      },
      model: "gemma-3-4b-it",
      stream: false,
    })?.body;
    expect(body?.messages).toEqual([
      {
        role: "user",
        content: [
          { type: "text", text: "Sys" },
          { type: "text", text: "Q" },
        ],
      },
    ]);
  });

  it("leaves Gemini models untouched", () => {
    const body = buildUpstreamRequest(provider, "chat", {
      body: request,
      model: "gemini-2.5-flash",
      stream: false,
    })?.body;
    expect(body).toEqual({ ...request, model: "gemini-2.5-flash", stream: false });
  });

  it("sends embeddings to the OpenAI-compatible /embeddings, untouched even for Gemma", () => {
    const prepared = buildUpstreamRequest(provider, "embeddings", {
      body: { input: "hi", tools: "kept" },
      model: "gemma-embed",
      stream: false,
    });
    expect(prepared).toMatchObject({
      url: "https://generativelanguage.googleapis.com/v1beta/openai/embeddings",
      body: { input: "hi", tools: "kept", model: "gemma-embed" },
    });
  });

  it("declares its defaults", () => {
    expect(googleAiAdapter).toMatchObject({
      defaultBaseUrl: "https://generativelanguage.googleapis.com/v1beta/openai",
      headerScope: "entry",
    });
  });
});
