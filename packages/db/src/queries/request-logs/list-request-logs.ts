import { and, asc, desc, eq, gte, inArray, lt, or, type SQL } from "drizzle-orm";
import type { DbExecutor } from "../../create-db";
import { requestAttempts, requestLogs } from "../../schema/request-logs";
import { decodeRequestLogCursor, encodeRequestLogCursor } from "./request-log-cursor";

type RequestLogRow = typeof requestLogs.$inferSelect;
type RequestAttemptRow = Omit<typeof requestAttempts.$inferSelect, "requestId">;
export type RequestLogWithAttempts = RequestLogRow & { attempts: RequestAttemptRow[] };

export interface ListRequestLogsOptions {
  from?: Date;
  to?: Date;
  chain?: string;
  provider?: string;
  apiKeyId?: string;
  outcome?: string;
  /** The API surface (chat, messages, responses, embeddings). */
  api?: string;
  /** The client's X-Request-Id, matched exactly. */
  clientRequestId?: string;
  /** `nextCursor` of the previous page. */
  cursor?: string;
  limit: number;
}

export interface RequestLogPage {
  items: RequestLogWithAttempts[];
  /** Null on the last page. */
  nextCursor: string | null;
}

/** A `cursor` that is not one this function made. */
export class InvalidCursorError extends Error {
  override readonly name = "InvalidCursorError";
  constructor() {
    super("this is not a request-log page link: start again from the newest");
  }
}

function afterCursor(cursor: string | undefined): SQL | undefined {
  if (cursor === undefined) return undefined;
  const c = decodeRequestLogCursor(cursor);
  if (c === null) throw new InvalidCursorError();
  return or(
    lt(requestLogs.at, c.at),
    and(eq(requestLogs.at, c.at), lt(requestLogs.requestId, c.requestId)),
  );
}

/** Raw request log, newest first, keyset-paginated on (at, request_id), with attempts. */
export async function listRequestLogs(
  db: DbExecutor,
  options: ListRequestLogsOptions,
): Promise<RequestLogPage> {
  const limit = Math.max(1, Math.min(options.limit, 1000));
  const rows = await db
    .select()
    .from(requestLogs)
    .where(
      and(
        options.from === undefined ? undefined : gte(requestLogs.at, options.from),
        options.to === undefined ? undefined : lt(requestLogs.at, options.to),
        options.chain === undefined ? undefined : eq(requestLogs.chain, options.chain),
        options.provider === undefined ? undefined : eq(requestLogs.provider, options.provider),
        options.apiKeyId === undefined ? undefined : eq(requestLogs.apiKeyId, options.apiKeyId),
        options.outcome === undefined ? undefined : eq(requestLogs.outcome, options.outcome),
        options.api === undefined ? undefined : eq(requestLogs.api, options.api),
        options.clientRequestId === undefined
          ? undefined
          : eq(requestLogs.clientRequestId, options.clientRequestId),
        afterCursor(options.cursor),
      ),
    )
    .orderBy(desc(requestLogs.at), desc(requestLogs.requestId))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const attempts =
    page.length === 0
      ? []
      : await db
          .select()
          .from(requestAttempts)
          .where(
            inArray(
              requestAttempts.requestId,
              page.map((r) => r.requestId),
            ),
          )
          .orderBy(asc(requestAttempts.requestId), asc(requestAttempts.position));
  const byRequest = new Map<string, RequestAttemptRow[]>();
  for (const { requestId, ...a } of attempts) {
    const list = byRequest.get(requestId) ?? [];
    list.push(a);
    byRequest.set(requestId, list);
  }
  const last = page.at(-1);
  return {
    items: page.map((r) => ({ ...r, attempts: byRequest.get(r.requestId) ?? [] })),
    nextCursor: rows.length > limit && last ? encodeRequestLogCursor(last) : null,
  };
}
