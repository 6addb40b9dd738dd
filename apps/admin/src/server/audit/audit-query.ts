import "server-only";
import { z } from "zod";

const first = (v: unknown) => (Array.isArray(v) ? v[0] : v);
const optionalText = z.preprocess(
  (v) =>
    typeof first(v) === "string" && String(first(v)).trim() !== ""
      ? String(first(v)).trim()
      : undefined,
  z.string().max(300).optional(),
);

const AuditQuerySchema = z.object({
  actor: optionalText,
  target: optionalText,
  before: z.preprocess(first, z.coerce.number().int().positive().optional()).catch(undefined),
});
type AuditQuery = z.infer<typeof AuditQuerySchema>;

/** The audit page's URL query; anything malformed is ignored rather than an error page. */
export function parseAuditQuery(params: Record<string, unknown>): AuditQuery {
  const parsed = AuditQuerySchema.safeParse(params);
  return parsed.success ? parsed.data : {};
}
