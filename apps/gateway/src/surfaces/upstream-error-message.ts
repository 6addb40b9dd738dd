import { parseBodyHints } from "@429chain/providers";

/** The message of an upstream error body in any API's shape, for re-wrapping it in another. */
export function upstreamErrorMessage(body: string, status: number): string {
  const hints = parseBodyHints(body);
  return hints.message ?? `The upstream answered ${status}.`;
}
