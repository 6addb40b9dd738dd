import {
  ChatCompletionRequestSchema,
  ERROR_STATUSES,
  type ErrorCode,
  ErrorEnvelopeSchema,
  QuotaLedgerSchema,
} from "@429chain/contracts";
import { ResponsesRequestSchema } from "@429chain/translate";
import { z } from "zod";
import { EmbeddingsRequestSchema } from "../surfaces/embeddings-request";
import {
  AnthropicErrorSchema,
  AnthropicMessagesRequestSchema,
  CountTokensRequestSchema,
  CountTokensResponseSchema,
  HealthSchema,
  ModelListSchema,
  RateLimitsSchema,
  ReadySchema,
} from "./api-schemas";

type JsonSchema = Record<string, unknown>;

/** The body of a response: a zod schema, or a described shape the gateway relays. */
type Body = z.ZodType | { description: string };

interface Operation {
  method: "get" | "post";
  path: string;
  summary: string;
  /** Needs a client API key. */
  auth: boolean;
  request?: z.ZodType;
  response: Body;
  /** Also answers `text/event-stream` when the body asks for `stream: true`. */
  streams?: boolean;
  /** Content type of the success answer (default application/json). */
  contentType?: string;
  /** Errors in Anthropic's envelope instead of OpenAI's. */
  anthropicErrors?: boolean;
  errors: ErrorCode[];
}

const ANY_ROUTE: ErrorCode[] = ["internal_error"];
const V1_READ: ErrorCode[] = ["invalid_api_key", "shutting_down", ...ANY_ROUTE];
const BODY: ErrorCode[] = ["invalid_json", "invalid_request", "request_too_large"];
const ROUTED: ErrorCode[] = [...V1_READ, ...BODY, "model_not_found", "chain_not_allowed"];
const WATERFALL: ErrorCode[] = [
  ...ROUTED,
  "key_rate_limited",
  "key_budget_exceeded",
  "key_spend_exceeded",
  "all_providers_exhausted",
  "request_timeout",
];

const relayed = (what: string): Body => ({ description: what });

/** Every route the gateway serves, in the order a reader meets them. */
export const OPERATIONS: readonly Operation[] = [
  {
    method: "post",
    path: "/v1/chat/completions",
    summary: "OpenAI chat completion, served by the first entry of the chain that can",
    auth: true,
    request: ChatCompletionRequestSchema,
    response: relayed("An OpenAI `chat.completion` object."),
    streams: true,
    errors: WATERFALL,
  },
  {
    method: "post",
    path: "/v1/messages",
    summary: "Anthropic Messages (Claude Code and Anthropic's SDKs), translated where needed",
    auth: true,
    request: AnthropicMessagesRequestSchema,
    response: relayed("An Anthropic `message` object."),
    streams: true,
    anthropicErrors: true,
    errors: WATERFALL,
  },
  {
    method: "post",
    path: "/v1/messages/count_tokens",
    summary: "Input tokens of a Messages request: exact from an Anthropic entry, else estimated",
    auth: true,
    request: CountTokensRequestSchema,
    response: CountTokensResponseSchema,
    anthropicErrors: true,
    errors: ROUTED,
  },
  {
    method: "post",
    path: "/v1/responses",
    summary: "OpenAI Responses API (stateless), translated to chat for each entry",
    auth: true,
    request: ResponsesRequestSchema,
    response: relayed("An OpenAI `response` object."),
    streams: true,
    errors: WATERFALL,
  },
  {
    method: "post",
    path: "/v1/embeddings",
    summary: "OpenAI embeddings from an embeddings chain",
    auth: true,
    request: EmbeddingsRequestSchema,
    response: relayed("An OpenAI embeddings `list`."),
    errors: WATERFALL,
  },
  {
    method: "get",
    path: "/v1/models",
    summary: "The chains the key may use and every provider/model in them",
    auth: true,
    response: ModelListSchema,
    errors: V1_READ,
  },
  {
    method: "get",
    path: "/v1/quota",
    summary: "The quota ledger of the key's chains: what is left, and when it runs out",
    auth: true,
    response: QuotaLedgerSchema,
    errors: V1_READ,
  },
  {
    method: "get",
    path: "/v1/ratelimits",
    summary: "Live state of the key's entries and the entry each chain tries first",
    auth: true,
    response: RateLimitsSchema,
    errors: V1_READ,
  },
  {
    method: "get",
    path: "/health",
    summary: "Liveness (v1's shape)",
    auth: false,
    response: HealthSchema,
    errors: ANY_ROUTE,
  },
  {
    method: "get",
    path: "/ready",
    summary: "Readiness; 503 while shutting down. On METRICS_PORT instead when that is set",
    auth: false,
    response: ReadySchema,
    errors: ANY_ROUTE,
  },
  {
    method: "get",
    path: "/metrics",
    summary:
      "Prometheus metrics (METRICS_TOKEN as a bearer token when set); on METRICS_PORT when set",
    auth: false,
    response: relayed("Prometheus text exposition."),
    contentType: "text/plain",
    errors: ANY_ROUTE,
  },
  {
    method: "get",
    path: "/",
    summary: "A page for a person: what this is, whether it is ready, where to go next",
    auth: false,
    response: relayed("HTML."),
    contentType: "text/html",
    errors: ANY_ROUTE,
  },
  {
    method: "get",
    path: "/index.js",
    summary: "The page's script (reads /ready, else /health)",
    auth: false,
    response: relayed("JavaScript."),
    contentType: "text/javascript",
    errors: ANY_ROUTE,
  },
  {
    method: "get",
    path: "/openapi.json",
    summary: "This document",
    auth: false,
    response: relayed("OpenAPI 3.1."),
    errors: ANY_ROUTE,
  },
];

function jsonSchema(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, {
    target: "draft-2020-12",
    io,
    unrepresentable: "any",
  }) as JsonSchema;
  return rest;
}

function bodySchema(body: Body, io: "input" | "output"): JsonSchema {
  return body instanceof z.ZodType ? jsonSchema(body, io) : { description: body.description };
}

/** The error answers of an operation: one per status its codes can have, naming the codes. */
function errorResponses(op: Operation): Record<string, unknown> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of op.errors) {
    for (const status of ERROR_STATUSES[code]) {
      byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
    }
  }
  const ref = op.anthropicErrors ? "AnthropicError" : "ErrorEnvelope";
  const responses: Record<string, unknown> = {};
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    // Anthropic's clients retry a 529 (overloaded): the waterfall's 502 and 503 become one.
    const answered = op.anthropicErrors && (status === 502 || status === 503) ? 529 : status;
    const key = String(answered);
    const known = (responses[key] as { "x-error-codes": string[] } | undefined)?.["x-error-codes"];
    const all = [...new Set([...(known ?? []), ...codes])];
    responses[key] = {
      description: `Error: ${all.join(", ")}`,
      "x-error-codes": all,
      content: { "application/json": { schema: { $ref: `#/components/schemas/${ref}` } } },
    };
  }
  return responses;
}

function operationObject(op: Operation): Record<string, unknown> {
  const success: Record<string, unknown> = {
    [op.contentType ?? "application/json"]: { schema: bodySchema(op.response, "output") },
  };
  if (op.streams) {
    success["text/event-stream"] = {
      schema: {
        type: "string",
        description:
          "Server-sent events in the API's own framing. A failure after the stream began ends it with an error event (code `upstream_stream_error` where the API has codes).",
      },
    };
  }
  return {
    summary: op.summary,
    ...(op.auth ? {} : { security: [] }),
    ...(op.request
      ? {
          requestBody: {
            required: true,
            content: { "application/json": { schema: jsonSchema(op.request, "input") } },
          },
        }
      : {}),
    responses: { "200": { description: "OK", content: success }, ...errorResponses(op) },
  };
}

/** The gateway's OpenAPI 3.1 document. */
export function openApiDocument(version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) {
    paths[op.path] = { ...paths[op.path], [op.method]: operationObject(op) };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "429chain gateway",
      version,
      description:
        "An OpenAI- and Anthropic-compatible gateway that serves each request from the first entry of a chain with quota left. Any other path answers 404 `not_found`.",
    },
    security: [{ bearer: [] }, { apiKey: [] }],
    paths,
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "A client API key." },
        apiKey: { type: "apiKey", in: "header", name: "x-api-key", description: "The same key." },
      },
      schemas: {
        ErrorEnvelope: jsonSchema(ErrorEnvelopeSchema, "output"),
        AnthropicError: jsonSchema(AnthropicErrorSchema, "output"),
      },
    },
  };
}
