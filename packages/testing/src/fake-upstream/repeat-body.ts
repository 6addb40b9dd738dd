import type { ServerResponse } from "node:http";
import type { FakeRepeat } from "./types";

// Larger than the socket's high-water mark, so each write waits for the client to read.
const BLOCK_BYTES = 64 * 1024;

/** Resolves true once `data` may be followed by more, false when the response is gone. */
function write(res: ServerResponse, data: string | Buffer, signal: AbortSignal): Promise<boolean> {
  if (res.destroyed || signal.aborted) return Promise.resolve(false);
  if (res.write(data)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const settle = (ok: boolean) => {
      res.off("drain", onDrain);
      res.off("close", onClose);
      signal.removeEventListener("abort", onClose);
      resolve(ok);
    };
    const onDrain = () => settle(true);
    const onClose = () => settle(false);
    res.on("drain", onDrain);
    res.on("close", onClose);
    signal.addEventListener("abort", onClose, { once: true });
  });
}

/** The body's length when it ends; undefined for an endless one (sent chunked). */
export function repeatLength(repeat: FakeRepeat): number | undefined {
  if (!Number.isFinite(repeat.times)) return undefined;
  const bytes = (s: string | undefined) => (s ? Buffer.byteLength(s) : 0);
  return bytes(repeat.head) + bytes(repeat.chunk) * repeat.times + bytes(repeat.tail);
}

/** Writes head, chunk × times and tail, generated block by block as the client reads. */
export async function writeRepeat(
  res: ServerResponse,
  repeat: FakeRepeat,
  signal: AbortSignal,
): Promise<void> {
  const chunkBytes = Math.max(1, Buffer.byteLength(repeat.chunk));
  const perBlock = Math.max(1, Math.floor(BLOCK_BYTES / chunkBytes));
  const block = Buffer.from(repeat.chunk.repeat(perBlock));
  if (repeat.head && !(await write(res, repeat.head, signal))) return;
  for (let left = repeat.times; left > 0; left -= perBlock) {
    const data = left >= perBlock ? block : repeat.chunk.repeat(left);
    if (!(await write(res, data, signal))) return;
  }
  res.end(repeat.tail);
}
