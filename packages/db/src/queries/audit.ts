import type { DbExecutor } from "../create-db";
import { auditLog } from "../schema";

export interface AuditEntry {
  actor: string;
  action: string;
  target: string;
  configVersion?: number;
  /** Masked documents: callers pass redacted forms, never secrets. */
  before?: unknown;
  after?: unknown;
}

export async function writeAudit(tx: DbExecutor, entry: AuditEntry): Promise<void> {
  await tx.insert(auditLog).values({
    actor: entry.actor,
    action: entry.action,
    target: entry.target,
    configVersion: entry.configVersion ?? null,
    before: entry.before ?? null,
    after: entry.after ?? null,
  });
}
