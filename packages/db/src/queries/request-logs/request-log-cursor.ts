// Pure (no database import), so the admin's proxy can check a cursor before any page renders:
// it is exported on its own as @429chain/db/request-log-cursor.

/** Where a page of the request log ends: keyset pagination on (at, request_id). */
interface RequestLogCursor {
  at: Date;
  requestId: string;
}

// Bounds of what the log stores (RequestLogJobSchema): epoch ms Date can hold, ids ≤ 128.
const MAX_EPOCH_MS = 8_640_000_000_000_000;
const MAX_REQUEST_ID = 128;
// A cursor of the largest values is under 250 characters.
const MAX_CURSOR_LENGTH = 512;

export function encodeRequestLogCursor(cursor: RequestLogCursor): string {
  return Buffer.from(JSON.stringify([cursor.at.getTime(), cursor.requestId])).toString("base64url");
}

/** The cursor a request-log page link carries, or null when it is not one listRequestLogs made. */
export function decodeRequestLogCursor(text: string): RequestLogCursor | null {
  if (text.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(text)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) return null;
  const [at, requestId] = parsed as [unknown, unknown];
  if (!Number.isSafeInteger(at) || (at as number) < 0 || (at as number) > MAX_EPOCH_MS) return null;
  if (typeof requestId !== "string" || requestId === "" || requestId.length > MAX_REQUEST_ID) {
    return null;
  }
  return { at: new Date(at as number), requestId };
}
