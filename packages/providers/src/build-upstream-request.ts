import { isCredentialHeader, type ProviderConfig } from "@429chain/contracts";
import { buildBody } from "./common/build-body";
import { getHeader } from "./common/header-value";
import { joinUrl } from "./common/join-url";
import { mergeHeaders } from "./common/merge-headers";
import { getProviderAdapter, resolveBaseUrl } from "./registry";
import type {
  HeaderMap,
  ProviderAdapter,
  UpstreamOperation,
  UpstreamRequest,
  UpstreamRequestInput,
} from "./types";

/** The client headers this upstream understands; a credential-like name never passes. */
function forwardedHeaders(
  adapter: ProviderAdapter,
  clientHeaders: HeaderMap | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  if (!clientHeaders) return out;
  for (const name of adapter.forwardClientHeaders) {
    if (isCredentialHeader(name)) continue;
    const value = clientHeaders[name] ?? getHeader(clientHeaders, name);
    // A repeated header (two `anthropic-beta` lines) means the comma-joined list.
    const text = Array.isArray(value) ? value.join(",") : value;
    if (text !== undefined && text.trim() !== "") out[name] = text.trim();
  }
  return out;
}

/**
 * The one place that turns an operation on a provider into an HTTP request: URL, body with
 * the entry's model and the adapter's quirks, and headers in increasing precedence — the
 * adapter's quirk headers, the client headers the upstream understands, the provider config's
 * `headers`, then content negotiation and auth, which nothing overrides. Undefined when the
 * provider offers no such operation (embeddings on Groq, chat on Anthropic).
 */
export function buildUpstreamRequest(
  provider: ProviderConfig,
  op: UpstreamOperation,
  input: UpstreamRequestInput,
): UpstreamRequest | undefined {
  const adapter = getProviderAdapter(provider.type);
  const path = adapter.endpoints[op];
  if (path === undefined) return undefined;
  const stream = (op === "chat" || op === "messages") && input.stream;
  const prepared = adapter.prepareRequest({
    op,
    body: buildBody(op, { ...input, stream }, adapter.streamUsage),
    model: input.model,
    stream,
    provider,
  });
  const negotiated = {
    "content-type": "application/json",
    accept: stream ? "application/json, text/event-stream" : "application/json",
    ...adapter.authHeaders(provider.apiKey),
  };
  let headers = mergeHeaders(prepared.headers, forwardedHeaders(adapter, input.clientHeaders));
  headers = mergeHeaders(headers, provider.headers);
  headers = mergeHeaders(headers, negotiated);
  return { url: joinUrl(resolveBaseUrl(provider), path), headers, body: prepared.body };
}
