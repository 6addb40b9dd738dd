import type { BodyHints } from "./body-hints";

const MAX_DETAIL = 100;
// Upstream messages can echo a key ("Incorrect API key provided: sk-abc…"); reasons are
// logged and returned to clients, so anything key-like is masked.
const SECRETS = [
  /\b(?:sk|gsk|csk|xai|nvapi|sk-or-v1)-[\w*-]{6,}/gi,
  /\bAIza[\w-]{10,}/g,
  /\bBearer\s+\S+/gi,
  /\b[\w-]{32,}\b/g,
];
// OpenAI writes "tokens per min (TPM)", Groq "tokens per minute (TPM)".
const LIMIT_PHRASE =
  /\b(requests|tokens|input tokens|output tokens) per (second|sec|minute|min|hour|day|month)\b/i;
const UNIT_NAMES: Record<string, string> = { sec: "second", min: "minute" };

/** A short, secret-free rendering of an upstream message (no prompt text survives truncation). */
export function summarizeMessage(message: string | undefined): string | undefined {
  if (!message) return undefined;
  const phrase = LIMIT_PHRASE.exec(message);
  if (phrase) {
    const unit = phrase[2]!.toLowerCase();
    return `${phrase[1]!.toLowerCase()} per ${UNIT_NAMES[unit] ?? unit}`;
  }
  let text = message.replace(/\s+/g, " ").trim();
  for (const re of SECRETS) text = text.replace(re, "[redacted]");
  if (text.length > MAX_DETAIL) text = `${text.slice(0, MAX_DETAIL - 1)}…`;
  return text || undefined;
}

function errorLabel(hints: BodyHints): string | undefined {
  return hints.code && !/^\d+$/.test(hints.code) ? hints.code : (hints.type ?? hints.status);
}

/** "rate_limit_exceeded: tokens per minute": the error label and a short detail. */
export function describeError(hints: BodyHints, fallback?: string): string {
  const parts = [errorLabel(hints), summarizeMessage(hints.message) ?? fallback];
  return parts.filter(Boolean).join(": ") || "unknown error";
}

/** "429 rate_limit_exceeded: per-day quota": status, the body's error label, a given detail. */
export function describeWithDetail(status: number, hints: BodyHints, detail: string): string {
  return `${status} ${[errorLabel(hints), detail].filter(Boolean).join(": ")}`;
}

/** "429 rate_limit_exceeded: tokens per minute" style reason for an HTTP response. */
export function describeResponse(status: number, hints: BodyHints, fallback?: string): string {
  return `${status} ${describeError(hints, fallback)}`;
}
