import "server-only";
import { parseEnv } from "@429chain/contracts";
import { type MasterKey, parseMasterKey } from "@429chain/db";
import { RedisUrlSchema } from "@429chain/redis";
import { z } from "zod";
import { parseTrustedProxies, type TrustedProxies } from "./trusted-proxies";

const positiveInt = z.coerce.number().int().positive();

const EnvSchema = z.object({
  DATABASE_URL: z.url({
    protocol: /^postgres(ql)?$/,
    error: "must be a postgres:// or postgresql:// URL",
  }),
  /** Unset: login rate limits are per process and config changes reach gateways by polling. */
  REDIS_URL: RedisUrlSchema.optional(),
  REDIS_KEY_PREFIX: z.string().min(1).default("429chain:"),
  // parseMasterKey's messages never echo the value (zod's could).
  MASTER_KEY: z.string().transform((value, ctx): MasterKey => {
    try {
      return parseMasterKey(value, "MASTER_KEY");
    } catch (err) {
      ctx.addIssue({ code: "custom", message: (err as Error).message });
      return z.NEVER;
    }
  }),
  /** The playground sends its requests here. */
  GATEWAY_URL: z.url().default("http://127.0.0.1:3429"),
  /**
   * A gateway's control API (its METRICS_PORT, else its PORT) with GATEWAY_CONTROL_TOKEN (the
   * gateway's CONTROL_TOKEN). When set, the live views (Rate limits, Quota, provider states)
   * read the gateway there, and "clear cooldown" goes there, instead of to Redis: what a
   * gateway without Redis keeps in its own memory (the quickstart) is seen this way.
   */
  GATEWAY_CONTROL_URL: z.url().optional(),
  GATEWAY_CONTROL_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3431),
  /** A session unused for this long is over. */
  SESSION_IDLE_MINUTES: positiveInt.default(8 * 60),
  /** A session is over this long after login, however busy. */
  SESSION_MAX_HOURS: positiveInt.default(7 * 24),
  /**
   * Proxies whose X-Forwarded-For hops are believed, when the request comes from one of them
   * (see lib/client-address.ts). Unset: nobody's; the socket address is the client.
   */
  TRUSTED_PROXIES: z
    .string()
    .default("")
    .transform((value, ctx): TrustedProxies => {
      const parsed = parseTrustedProxies(value);
      if (parsed.ok) return parsed.value;
      for (const message of parsed.errors) ctx.addIssue({ code: "custom", message });
      return z.NEVER;
    }),
  /** auto: Secure cookies unless the request's host is localhost or 127.0.0.1. */
  COOKIE_SECURE: z.enum(["auto", "true", "false"]).default("auto"),
});
const CheckedEnvSchema = EnvSchema.refine(
  (env) => (env.GATEWAY_CONTROL_URL === undefined) === (env.GATEWAY_CONTROL_TOKEN === undefined),
  {
    message: "GATEWAY_CONTROL_URL and GATEWAY_CONTROL_TOKEN go together: set both or neither",
    path: ["GATEWAY_CONTROL_TOKEN"],
  },
);
export type AdminEnv = z.infer<typeof CheckedEnvSchema>;

let cached: AdminEnv | undefined;

/** The only reader of process.env; parsed on first use, then the same object every time. */
export function adminEnv(): AdminEnv {
  cached ??= parseEnv(CheckedEnvSchema, process.env);
  return cached;
}
