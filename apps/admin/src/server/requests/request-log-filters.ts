import "server-only";
import { API_SURFACES, REQUEST_OUTCOMES } from "@429chain/contracts";
import type { ListRequestLogsOptions } from "@429chain/db";
import { z } from "zod";

const text = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional()
  .catch(undefined);

/** `YYYY-MM-DDTHH:mm` from <input type="datetime-local">, read as UTC. */
const utcTime = text.transform((v) => {
  if (v === undefined) return undefined;
  const ms = Date.parse(/[zZ]|[+-]\d\d:\d\d$/.test(v) ? v : `${v}Z`);
  return Number.isNaN(ms) ? undefined : new Date(ms);
});

const RequestLogParamsSchema = z.object({
  from: utcTime,
  to: utcTime,
  chain: text,
  provider: text,
  key: text,
  outcome: z.enum(REQUEST_OUTCOMES).optional().catch(undefined),
  api: z.enum(API_SURFACES).optional().catch(undefined),
  /** The client's X-Request-Id, matched exactly. */
  clientRequestId: text,
  cursor: text,
});
export type RequestLogParams = z.infer<typeof RequestLogParamsSchema>;

export const REQUEST_LOG_PAGE_SIZE = 50;

/** Search params (unknown or malformed ones ignored) → listRequestLogs options. */
export function requestLogQuery(params: Record<string, string | string[] | undefined>): {
  params: RequestLogParams;
  options: ListRequestLogsOptions;
} {
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const parsed = RequestLogParamsSchema.parse(
    Object.fromEntries(Object.entries(params).map(([k, v]) => [k, first(v)])),
  );
  const { key, ...filters } = parsed;
  const options: ListRequestLogsOptions = {
    ...filters,
    apiKeyId: key,
    limit: REQUEST_LOG_PAGE_SIZE,
  };
  return { params: parsed, options };
}
