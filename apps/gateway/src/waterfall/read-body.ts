import type { Dispatcher } from "undici";

/** Upper bound for a buffered (non-streamed) upstream body; larger is an upstream error. */
export const MAX_UPSTREAM_BODY_BYTES = 64 * 1024 * 1024;

export class BodyTooLargeError extends Error {
  constructor() {
    super(`upstream body exceeds ${MAX_UPSTREAM_BODY_BYTES} bytes`);
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
      throw new BodyTooLargeError();
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}
