import {
  type ClearCooldownRequest,
  ClearCooldownResponseSchema,
  type ControlEntryStates,
  ControlEntryStatesSchema,
  type EntryState,
  type QuotaLedger,
  QuotaLedgerSchema,
} from "@429chain/contracts";
import type { QuotaStateReader } from "@429chain/quota";
import type { z } from "zod";

/** How long one call to the gateway may take. */
const TIMEOUT_MS = 5_000;

/** A gateway's control API (its CONTROL_TOKEN), as the admin uses it. */
export interface GatewayControl {
  entryStates(): Promise<ControlEntryStates>;
  quota(): Promise<QuotaLedger>;
  clearCooldown(request: ClearCooldownRequest): Promise<void>;
}

export function createGatewayControl(options: { url: string; token: string }): GatewayControl {
  const base = options.url.replace(/\/+$/, "");
  async function call<T>(schema: z.ZodType<T>, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${base}/control/${path}`, {
      method: body === undefined ? "GET" : "POST",
      headers: {
        authorization: `Bearer ${options.token}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (!res.ok) {
      const text = await res.text().catch(() => "");
      const message = (() => {
        try {
          return (JSON.parse(text) as { error?: { message?: string } }).error?.message;
        } catch {
          return undefined;
        }
      })();
      throw new Error(
        `the gateway's control API answered ${res.status}${message ? `: ${message}` : ""}`,
      );
    }
    return schema.parse(await res.json());
  }
  return {
    entryStates: () => call(ControlEntryStatesSchema, "entry-states"),
    quota: () => call(QuotaLedgerSchema, "quota"),
    async clearCooldown(request) {
      await call(ClearCooldownResponseSchema, "clear-cooldown", request);
    },
  };
}

/**
 * The live-state reads through a gateway's control API, for an admin without Redis: each
 * entry's state as that gateway holds it. An entry the gateway has not loaded yet (a config
 * change reaches it at its next poll) reads as fresh: nothing is recorded for it.
 */
export function createControlStateReader(control: GatewayControl): QuotaStateReader {
  return {
    async entryStates(entries) {
      const { data } = await control.entryStates();
      const byLabel = new Map(data.map((e) => [e.label, e]));
      return entries.map((policy): EntryState => {
        const found = byLabel.get(`${policy.provider}/${policy.model}`);
        if (found) {
          const { label: _label, chains: _chains, ...state } = found;
          return state;
        }
        return {
          provider: policy.provider,
          model: policy.model,
          status: "available",
          cooldownUntil: null,
          reason: null,
          consecutiveFailures: 0,
          inFlight: 0,
          windows: [],
        };
      });
    },
    clearCooldown: (entry) =>
      control.clearCooldown({ provider: entry.provider, model: entry.model }),
  };
}
