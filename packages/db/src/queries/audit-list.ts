import { and, desc, eq, like, lt, or, type SQL } from "drizzle-orm";
import type { DbExecutor } from "../create-db";
import { auditLog } from "../schema";

export type AuditRecord = typeof auditLog.$inferSelect;

interface AuditListOptions {
  /** Exact actor: a user's email, or "cli". */
  actor?: string;
  /** A target ("provider:groq-free") or its kind ("provider"), which matches every one. */
  target?: string;
  /** Entries older than this id: the `nextBefore` of the previous page. */
  before?: number;
  limit: number;
}

export interface AuditPage {
  entries: AuditRecord[];
  /** Pass as `before` for the next (older) page; null on the last page. */
  nextBefore: number | null;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Newest first, keyset-paginated by id. */
export async function listAuditLog(db: DbExecutor, options: AuditListOptions): Promise<AuditPage> {
  const where: SQL[] = [];
  if (options.actor) where.push(eq(auditLog.actor, options.actor));
  if (options.target) {
    where.push(
      or(
        eq(auditLog.target, options.target),
        like(auditLog.target, `${escapeLike(options.target)}:%`),
      )!,
    );
  }
  if (options.before !== undefined) where.push(lt(auditLog.id, options.before));
  const rows = await db
    .select()
    .from(auditLog)
    .where(and(...where))
    .orderBy(desc(auditLog.id))
    .limit(options.limit + 1);
  const entries = rows.slice(0, options.limit);
  return {
    entries,
    nextBefore: rows.length > options.limit ? entries.at(-1)!.id : null,
  };
}

/** Everyone who has written the log, for the actor filter. */
export async function listAuditActors(db: DbExecutor): Promise<string[]> {
  const rows = await db
    .selectDistinct({ actor: auditLog.actor })
    .from(auditLog)
    .orderBy(auditLog.actor);
  return rows.map((r) => r.actor);
}
