import type { CompiledEntry } from "../config/snapshot";
import { AttemptAbort, transportFailure } from "../upstream/http-client";
import type { AttemptContext, AttemptResult, ServedJson } from "./attempt-types";
import { readBodyText } from "./read-body";
import { sendToEntry, unservedResult } from "./send-to-entry";
import { attemptSignal, attemptTimeouts } from "./timeouts";
import { readUsage } from "./usage";

/** One non-streamed attempt: send, read the whole answer, classify it. */
export async function nonStreamAttempt(
  entry: CompiledEntry,
  ctx: AttemptContext,
): Promise<AttemptResult> {
  const t = attemptTimeouts(entry, ctx.settings);
  const { signal, release } = attemptSignal(ctx.signal, {
    ms: t.firstByteMs,
    reason: () => new AttemptAbort("attempt_timeout"),
    deadlineAt: ctx.deadlineAt,
  });
  try {
    const sent = await sendToEntry(entry, ctx, false, signal, t);
    if (sent.kind === "failure") {
      return { kind: "failed", outcome: sent.outcome, status: null, windows: [] };
    }
    let body: string;
    try {
      body = await readBodyText(sent.body);
    } catch (err) {
      const outcome = transportFailure(err, signal, false);
      return { kind: "failed", outcome, status: sent.status, windows: [] };
    }
    const now = Date.now();
    const windows = entry.adapter.parseRateLimitHeaders(sent.headers, now);
    const res = { status: sent.status, headers: sent.headers, body, now };
    // A 2xx that parses as a completion is served without a second parse by the classifier;
    // anything else (errors, garbage, error objects in a 200) goes to the provider's rules.
    const served = sent.status >= 200 && sent.status < 300 ? servedJson(res, ctx) : undefined;
    const unfit = served && ctx.accept?.(served.json);
    if (unfit) {
      const outcome = { kind: "upstream_error" as const, status: sent.status, reason: unfit };
      return { kind: "failed", outcome, status: sent.status, windows };
    }
    if (served) return { kind: "served", served, windows };
    const outcome = entry.adapter.classifyResponse(res);
    return unservedResult(res, outcome, windows, `answer is not ${ANSWER_NAMES[ctx.call.op]}`);
  } finally {
    release();
  }
}

const ANSWER_NAMES = {
  chat: "a chat completion",
  messages: "an Anthropic message",
  embeddings: "an embeddings list",
} as const;

/**
 * A 2xx is served only when it parses as the operation's answer (a completion with `choices`,
 * a message with `content`, a list with `data`) and holds no `error`. Any other JSON (`{}`, an
 * array, an error object in a 200) is left to the classifier.
 */
function servedJson(
  res: { status: number; body: string },
  ctx: AttemptContext,
): ServedJson | undefined {
  let json: unknown;
  try {
    json = JSON.parse(res.body);
  } catch {
    return undefined;
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) return undefined;
  const o = json as Record<string, unknown>;
  if (o.error !== undefined || !isAnswer(ctx.call.op, o)) return undefined;
  return { kind: "json", status: res.status, json: o, text: res.body, usage: readUsage(o) };
}

function isAnswer(op: AttemptContext["call"]["op"], o: Record<string, unknown>): boolean {
  if (op === "messages") return o.type === "message" && Array.isArray(o.content);
  if (op === "embeddings") return Array.isArray(o.data);
  return Array.isArray(o.choices);
}
