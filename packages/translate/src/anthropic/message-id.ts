/**
 * An Anthropic-style message id (`msg_` and letters/digits) derived deterministically from an
 * upstream completion id or the gateway's request id, so retries and logs line up.
 */
export function anthropicMessageId(seed: string): string {
  if (/^msg_[A-Za-z0-9]+$/.test(seed)) return seed;
  const id = seed.replace(/[^A-Za-z0-9]/g, "");
  return `msg_${id === "" ? "0" : id}`;
}
