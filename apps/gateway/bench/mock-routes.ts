/** Path prefixes the mock answers on; a provider's baseUrl is `${mockUrl}${prefix}`. */
export const MOCK = {
  /** Non-streamed completion, answered at once. */
  fast: "/fast",
  /** Short stream whose frames are all written at once. */
  short: "/short",
  /** Long stream: LONG_STREAM_TEXTS content frames, LONG_STREAM_FRAME_DELAY_MS apart. */
  long: "/long",
  /** Always HTTP 500. */
  fail: "/fail",
} as const;

export const LONG_STREAM_TEXTS = 57;
export const LONG_STREAM_FRAME_DELAY_MS = 500;

export function chatPath(prefix: string): string {
  return `${prefix}/chat/completions`;
}
