import { z } from "zod";
import { parseRedisUrl } from "./redis-url";

/**
 * REDIS_URL in an app's env.ts: any form parseRedisUrl reads, kept as text. The messages say
 * which forms are allowed and never repeat the value (it may hold a password).
 */
export const RedisUrlSchema = z.string().superRefine((value, ctx) => {
  const parsed = parseRedisUrl(value);
  if (!parsed.ok) ctx.addIssue({ code: "custom", message: parsed.error });
});
