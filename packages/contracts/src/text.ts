import { z } from "zod";

/**
 * Text the gateway keeps (in storage, metrics, Redis keys or logs) must be printable: no NUL
 * or other control characters (Postgres refuses NUL in text) and no unpaired surrogates
 * (they cannot be encoded as UTF-8 or in a URL component).
 */
export function isPrintableText(value: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the rule is about control characters
  return value.isWellFormed() && !/[\u0000-\u001f\u007f]/.test(value);
}

/** A non-empty string of at most `max` characters that passes `isPrintableText`. */
export function boundedText(max: number) {
  return z
    .string()
    .min(1, "must not be empty")
    .max(max, `must be at most ${max} characters`)
    .refine(isPrintableText, "must not contain control characters or unpaired surrogates");
}

/** Longest `model` a request may name (a chain, `provider/model`, or anything else). */
export const MAX_MODEL_LENGTH = 256;
