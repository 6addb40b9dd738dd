import type { ServerResponse } from "node:http";
import { setTimeout as delay } from "node:timers/promises";
import { repeatLength, writeRepeat } from "./repeat-body";
import type { FakeHeaders, FakeResponse, FakeStream } from "./types";

// Chat's `data: [DONE]` and Anthropic's `event: message_stop`: what `noDone` drops.
const DONE_FRAME = /^(?:data:\s?\[DONE\]|event:\s?message_stop\b)/;

/** Resolves false when the wait was aborted (the fake is closing). */
async function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  try {
    await delay(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}

// Resolve only once the bytes reached the socket, so a following destroy cannot drop them.
function writeFlushed(res: ServerResponse, frame: string): Promise<boolean> {
  return new Promise((resolve) => {
    res.write(frame, (err) => resolve(!err));
  });
}

function hasHeader(headers: FakeHeaders | undefined, name: string): boolean {
  return Object.keys(headers ?? {}).some((k) => k.toLowerCase() === name);
}

async function sendStream(
  res: ServerResponse,
  resp: FakeResponse,
  stream: FakeStream,
  signal: AbortSignal,
): Promise<void> {
  res.writeHead(resp.status ?? 200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    ...resp.headers,
  });
  res.flushHeaders();
  const frames = stream.noDone ? stream.frames.filter((f) => !DONE_FRAME.test(f)) : stream.frames;
  for (const [i, frame] of frames.entries()) {
    if (i === stream.cutAfter) {
      res.socket?.destroy();
      return;
    }
    if (i === stream.hangAfter) return;
    if (i > 0 && stream.frameDelayMs && !(await pause(stream.frameDelayMs, signal))) return;
    if (res.destroyed || !(await writeFlushed(res, frame))) return;
  }
  if (stream.cutAfter !== undefined) {
    res.socket?.destroy();
    return;
  }
  if (stream.hangAfter !== undefined) return;
  res.end();
}

/** Writes one programmed answer; every wait ends early when `signal` aborts. */
export async function sendFakeResponse(
  res: ServerResponse,
  resp: FakeResponse,
  signal: AbortSignal,
): Promise<void> {
  if (resp.hang) return;
  if (resp.delayMs && !(await pause(resp.delayMs, signal))) return;
  if (res.destroyed) return;
  if (resp.destroy) {
    res.socket?.destroy();
    return;
  }
  if (resp.stream) {
    await sendStream(res, resp, resp.stream, signal);
    return;
  }
  const headers: FakeHeaders = { ...resp.headers };
  if (resp.repeat) {
    const length = repeatLength(resp.repeat);
    if (length !== undefined) headers["content-length"] = length;
    if (!hasHeader(headers, "content-type")) headers["content-type"] = "application/json";
    res.writeHead(resp.status ?? 200, headers);
    await writeRepeat(res, resp.repeat, signal);
    return;
  }
  let payload: string | undefined;
  if (typeof resp.body === "string") {
    payload = resp.body;
    if (!hasHeader(headers, "content-type")) headers["content-type"] = "text/plain; charset=utf-8";
  } else if (resp.body !== undefined) {
    payload = JSON.stringify(resp.body);
    if (!hasHeader(headers, "content-type")) headers["content-type"] = "application/json";
  }
  if (payload !== undefined) headers["content-length"] = Buffer.byteLength(payload);
  res.writeHead(resp.status ?? 200, headers);
  res.end(payload);
}
