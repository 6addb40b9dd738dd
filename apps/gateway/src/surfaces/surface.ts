import type { ApiSurface, ChainKind, Settings } from "@429chain/contracts";
import type { UpstreamWire } from "@429chain/providers";
import type { FastifyRequest } from "fastify";
import type { ConversationMark } from "../affinity/conversation-mark";
import type { CompiledChain, CompiledEntry } from "../config/snapshot";
import type { CallFor } from "../waterfall/attempt-types";
import type { ClientStreamEncoder } from "./client-stream";

/** An answer as the serving entry gave it, in that entry's own API (its wire). */
interface UpstreamAnswer {
  wire: UpstreamWire;
  json: Record<string, unknown>;
  /** The body as received: relayed as is when the client speaks the entry's API. */
  text: string;
}

/** One request as an API surface understood it, with everything the answer needs. */
interface SurfaceRequest {
  /** `model` as the client sent it: a chain, `provider/model`, an alias. */
  model: string | undefined;
  stream: boolean;
  /** Estimated prompt tokens, for quota and key budgets. */
  promptTokens: number;
  /** The most output the client allowed, if it said. */
  maxOutputTokens: number | undefined;
  /** What each entry is sent; an entry that cannot serve the request is skipped. */
  callFor: CallFor;
  /** A served JSON answer, in the client's API. */
  encodeJson(answer: UpstreamAnswer, entry: CompiledEntry): string;
  /** Frames for a served stream from this entry, in the client's API. */
  streamEncoder(entry: CompiledEntry): ClientStreamEncoder;
  /**
   * What identifies the request's conversation, for chains with affinity (computed only for
   * them). An API without conversations (embeddings) has none.
   */
  conversation?(): ConversationMark;
  /** Refuses (throws a 400) a target this request cannot be served by, after it is resolved. */
  checkChain?(chain: CompiledChain): void;
  /**
   * Whether a 2xx answer of an entry is fit to serve; a reason when it is not (an embedding of
   * the wrong length), which makes it that entry's failure and the waterfall moves on.
   */
  acceptAnswer?(
    answer: Record<string, unknown>,
    entry: CompiledEntry,
    chain: CompiledChain,
  ): string | undefined;
  /** An upstream 4xx caused by the request, in the client's API (status kept). */
  clientError(
    wire: UpstreamWire,
    body: string,
    contentType: string | undefined,
    status: number,
  ): {
    body: string;
    contentType: string;
  };
}

/** What the lifecycle hands a surface to parse a body. */
interface SurfaceContext {
  request: FastifyRequest;
  settings: Settings;
}

/** One client API (chat completions, Anthropic messages, Responses): an adapter at the edge. */
export interface Surface {
  readonly name: ApiSurface;
  /** The kind of chain this API is served by; a chain of the other kind is a 400. */
  readonly chainKind: ChainKind;
  /** Validates the body (a 400 naming the field otherwise) and prepares the translations. */
  parse(body: unknown, ctx: SurfaceContext): SurfaceRequest;
}
