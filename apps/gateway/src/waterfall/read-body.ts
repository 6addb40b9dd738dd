import type { Dispatcher } from "undici";

/**
 * Upper bound for a buffered (non-streamed) upstream body; larger is an upstream error. A chat
 * completion is a few hundred kB at most (128k tokens of text is ~0.5 MB); 8 MiB leaves room
 * for logprobs and n > 1 and matches one SSE event's bound. The body is held in memory as
 * chunks, one string and a parsed copy, so the bound is what one bad upstream may cost per
 * request: at 64 MiB a single 50 MB answer grew the gateway by 150 MB.
 */
export const MAX_UPSTREAM_BODY_BYTES = 8 * 1024 * 1024;

export class BodyTooLargeError extends Error {
  constructor(limit: number) {
    super(`upstream body exceeds ${limit} bytes`);
  }
}

export async function readBodyText(
  body: Dispatcher.ResponseData["body"],
  limit = MAX_UPSTREAM_BODY_BYTES,
): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > limit) {
      body.destroy();
      throw new BodyTooLargeError(limit);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}
