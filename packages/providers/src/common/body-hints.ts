import type { HeaderMap } from "../types";
import { parseDuration } from "./parse-duration";

/** Everything the classifiers read from an upstream body, whatever its shape. */
export interface BodyHints {
  /** The body parsed as JSON (an array body is unwrapped to its first object). */
  json: unknown;
  /** True when the body holds an error (an `error` field, `success: false`, a bare string…). */
  isError: boolean;
  message?: string;
  type?: string;
  code?: string;
  /** Gemini `error.status` (`RESOURCE_EXHAUSTED`) or NVIDIA `title`. */
  status?: string;
  /** Delay from Gemini `RetryInfo.retryDelay` or "try again in 644ms" text, in ms. */
  retryDelayMs?: number;
  /** Gemini `QuotaFailure` violations' `quotaId`s. */
  quotaIds: string[];
  /** Gemini "limit: 0": the model is not on the free tier at all. */
  limitZero: boolean;
  /** OpenRouter copies the rate-limit headers into `error.metadata.headers`. */
  metadataHeaders?: HeaderMap;
  /** OpenRouter `error.metadata.limit_source`. */
  limitSource?: string;
  /** OpenRouter moderation `error.metadata.reasons` / `flagged_input` present. */
  flagged: boolean;
  /** Anthropic `details.error_code` (`enforced_spend_limit_reached`). */
  errorCode?: string;
  /** Cloudflare `errors[].code` (3036 = daily allocation used up). */
  cloudflareCodes: number[];
  /** OpenAI/Groq "on tokens per minute (TPM): Limit 6000, Used 5990, Requested 120". */
  windowReport?: WindowReport;
}

/** A limit an error message spells out: its unit and period, the limit, what was used. */
interface WindowReport {
  unit: "requests" | "tokens";
  period: "minute" | "day";
  limit: number;
  used: number;
  requested: number;
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined =>
  typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined;

// OpenAI/Groq "Please try again in 644ms", Gemini "Please retry in 36.5s".
const TRY_AGAIN = /(?:try again|retry) in\s+((?:\d+(?:\.\d+)?(?:ms|h|m|s))+)/i;
const TRY_AGAIN_WORDS = /(?:try again|retry) in\s+(\d+(?:\.\d+)?)\s*seconds?/i;
// OpenAI "on tokens per min (TPM): Limit 200000, Used 199817, Requested 526", Groq "on tokens
// per minute (TPM): Limit 6000, Used 5990, Requested 120" / "on requests per day (RPD): …".
const WINDOW_REPORT =
  /on (requests|tokens) per (min(?:ute)?|day)\b[^:]*:\s*Limit (\d+), Used (\d+), Requested (\d+)/i;

function windowReportOf(text: string | undefined): WindowReport | undefined {
  const m = text ? WINDOW_REPORT.exec(text) : null;
  if (!m) return undefined;
  return {
    unit: m[1]!.toLowerCase() as WindowReport["unit"],
    period: m[2]!.toLowerCase() === "day" ? "day" : "minute",
    limit: Number(m[3]),
    used: Number(m[4]),
    requested: Number(m[5]),
  };
}

function parseJson(body: string): unknown {
  const text = body.trim();
  const first = text[0];
  if (first !== "{" && first !== "[" && first !== '"') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Gemini's OpenAI-compatible endpoint wraps the error object in an array. */
function unwrap(json: unknown): unknown {
  if (Array.isArray(json)) return json.find(isObj) ?? json;
  return json;
}

function retryDelayFromText(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const units = TRY_AGAIN.exec(text);
  if (units) return parseDuration(units[1]);
  const words = TRY_AGAIN_WORDS.exec(text);
  return words ? Math.round(Number(words[1]) * 1000) : undefined;
}

function readGeminiDetails(details: unknown, hints: BodyHints): void {
  if (!Array.isArray(details)) return;
  for (const d of details) {
    if (!isObj(d)) continue;
    const type = str(d["@type"]) ?? "";
    if (type.endsWith("google.rpc.RetryInfo")) {
      hints.retryDelayMs = parseDuration(str(d.retryDelay)) ?? hints.retryDelayMs;
    } else if (type.endsWith("google.rpc.QuotaFailure") && Array.isArray(d.violations)) {
      for (const v of d.violations) {
        const id = isObj(v) ? str(v.quotaId) : undefined;
        if (id) hints.quotaIds.push(id);
        if (isObj(v) && str(v.quotaValue) === "0") hints.limitZero = true;
      }
    }
  }
}

function readMetadata(meta: unknown, hints: BodyHints): string | undefined {
  if (!isObj(meta)) return undefined;
  hints.limitSource = str(meta.limit_source);
  if (isObj(meta.headers)) hints.metadataHeaders = meta.headers as HeaderMap;
  if (meta.reasons !== undefined || meta.flagged_input !== undefined) hints.flagged = true;
  return str(meta.raw);
}

function readErrorObject(err: Obj, hints: BodyHints): string | undefined {
  hints.message = str(err.message);
  hints.type = str(err.type);
  hints.code = str(err.code);
  hints.status = str(err.status);
  readGeminiDetails(err.details, hints);
  if (isObj(err.details)) hints.errorCode = str(err.details.error_code);
  return readMetadata(err.metadata, hints);
}

function readObject(o: Obj, hints: BodyHints): string | undefined {
  let raw: string | undefined;
  if (isObj(o.error)) {
    hints.isError = true;
    raw = readErrorObject(o.error, hints);
  } else if (typeof o.error === "string") {
    hints.isError = true;
    hints.message = o.error;
  } else if (Array.isArray(o.errors) && o.success === false) {
    // Cloudflare: {"success":false,"errors":[{"code":3036,"message":…}]}
    hints.isError = true;
    for (const e of o.errors) {
      if (isObj(e) && typeof e.code === "number") hints.cloudflareCodes.push(e.code);
    }
    hints.message = o.errors.map((e) => (isObj(e) ? str(e.message) : undefined)).find(Boolean);
  } else if (typeof o.status === "number" && typeof o.title === "string") {
    // NVIDIA NIM problem details: {"status":429,"title":…,"detail":…}
    hints.isError = o.status >= 400;
    hints.status = o.title;
    hints.code = String(o.status);
    hints.message = str(o.detail) ?? o.title;
  } else if (o.object === "error" || (typeof o.message === "string" && o.choices === undefined)) {
    // Cerebras and Mistral put message/type/code at the top level.
    hints.isError = true;
    hints.message = str(o.message);
    hints.type = str(o.type);
    hints.code = str(o.code);
  }
  if (isObj(o.details)) hints.errorCode ??= str(o.details.error_code);
  return raw;
}

/** Parses any body (JSON object/array/string, HTML, empty, truncated) without throwing. */
export function parseBodyHints(body: string): BodyHints {
  const json = unwrap(parseJson(body));
  const hints: BodyHints = {
    json,
    isError: false,
    quotaIds: [],
    limitZero: false,
    flagged: false,
    cloudflareCodes: [],
  };
  let raw: string | undefined;
  if (typeof json === "string") {
    // xAI sometimes answers with a bare JSON string.
    hints.isError = true;
    hints.message = json;
  } else if (isObj(json)) {
    raw = readObject(json, hints);
  }
  if (hints.message && /\blimit:\s*0\b/.test(hints.message)) hints.limitZero = true;
  hints.windowReport = windowReportOf(hints.message);
  // Gemini rounds RetryInfo down to whole seconds ("0s") while its message says "Please retry
  // in 0.43s": the most precise hint is the longest one, never the rounded-down zero.
  const fromText = retryDelayFromText(hints.message) ?? retryDelayFromText(raw);
  if (fromText !== undefined) hints.retryDelayMs = Math.max(hints.retryDelayMs ?? 0, fromText);
  return hints;
}

/** Whether an error body (HTTP 200 or mid-stream) describes a rate limit rather than a fault. */
export function looksRateLimited(hints: BodyHints): boolean {
  const label = `${hints.code ?? ""} ${hints.type ?? ""} ${hints.status ?? ""}`.toLowerCase();
  return (
    hints.code === "429" ||
    /rate_limit|too_many_requests|resource_exhausted|quota_exceeded/.test(label) ||
    /rate limit/i.test(hints.message ?? "")
  );
}
