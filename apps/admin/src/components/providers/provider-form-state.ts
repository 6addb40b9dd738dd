import {
  isCredentialHeader,
  type ProviderType,
  type RateLimits,
  REDACTED_PROVIDER_HEADER,
} from "@429chain/contracts";
import type { ProviderView } from "@429chain/db";

export const LIMIT_FIELDS: { key: keyof RateLimits; label: string }[] = [
  { key: "requestsPerMinute", label: "Requests / minute" },
  { key: "requestsPerHour", label: "Requests / hour" },
  { key: "requestsPerDay", label: "Requests / day" },
  { key: "tokensPerMinute", label: "Tokens / minute" },
  { key: "tokensPerDay", label: "Tokens / day" },
  { key: "concurrentRequests", label: "Concurrent requests" },
];

export const TIMEOUT_FIELDS = [
  { key: "connectMs", label: "Connect (ms)" },
  { key: "firstByteMs", label: "First byte (ms)" },
  { key: "idleMs", label: "Stream idle (ms)" },
] as const;

type TimeoutKey = (typeof TIMEOUT_FIELDS)[number]["key"];
export type LimitValues = Record<keyof RateLimits, string>;

export interface HeaderRow {
  rowId: number;
  name: string;
  /** For a stored credential: a replacement; empty keeps the stored value. */
  value: string;
  /** Set for a credential header already stored: its value masked, e.g. "••••1234". */
  masked?: string;
}

/** A row whose value is a credential: typed like a password, never shown back. */
export const isCredentialRow = (row: HeaderRow) =>
  row.masked !== undefined || isCredentialHeader(row.name);

export interface ModelLimitRow {
  rowId: number;
  model: string;
  limits: LimitValues;
}

/** The form as typed: every number still a string, so a half-typed value stays visible. */
export interface ProviderFormState {
  id: string;
  name: string;
  type: ProviderType;
  baseUrl: string;
  /** Create: the key. Edit: a replacement key; empty keeps the stored one. */
  apiKey: string;
  timeout: string;
  timeouts: Record<TimeoutKey, string>;
  rateLimits: LimitValues;
  headers: HeaderRow[];
  modelLimits: ModelLimitRow[];
  enabled: boolean;
  /** A free tier: its entries are priced 0 (budgets never hold them back). */
  free: boolean;
}

// Rows present at first render are numbered by position, so server and browser agree; rows
// added later (only ever in the browser) count from far above.
let nextRowId = 1_000_000;
export const newRowId = () => nextRowId++;

const text = (n: number | null | undefined) => (n === null || n === undefined ? "" : String(n));

export function limitValues(limits: RateLimits | null | undefined): LimitValues {
  return Object.fromEntries(LIMIT_FIELDS.map((f) => [f.key, text(limits?.[f.key])])) as LimitValues;
}

export function initialFormState(view: ProviderView | null): ProviderFormState {
  return {
    id: view?.id ?? "",
    name: view?.name ?? "",
    type: view?.type ?? "openai",
    baseUrl: view?.baseUrl ?? "",
    apiKey: "",
    timeout: text(view?.timeout),
    timeouts: {
      connectMs: text(view?.timeouts?.connectMs),
      firstByteMs: text(view?.timeouts?.firstByteMs),
      idleMs: text(view?.timeouts?.idleMs),
    },
    rateLimits: limitValues(view?.rateLimits),
    headers: Object.entries(view?.headers ?? {}).map(([name, value], rowId) =>
      view?.credentialHeaders.includes(name)
        ? { rowId, name, value: "", masked: value }
        : { rowId, name, value },
    ),
    modelLimits: Object.entries(view?.modelRateLimits ?? {}).map(([model, limits], rowId) => ({
      rowId,
      model,
      limits: limitValues(limits),
    })),
    enabled: view?.enabled ?? true,
    free: view?.free ?? false,
  };
}

// A value that is not a number is sent as typed, so the server names the field.
function num(value: string): number | string | undefined {
  const trimmed = value.trim();
  if (trimmed === "") return undefined;
  const n = Number(trimmed);
  return Number.isNaN(n) ? trimmed : n;
}

function compactObject<T extends Record<string, unknown>>(value: T): Partial<T> | undefined {
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  return entries.length > 0 ? (Object.fromEntries(entries) as Partial<T>) : undefined;
}

function limitsPayload(values: LimitValues) {
  return compactObject(Object.fromEntries(LIMIT_FIELDS.map((f) => [f.key, num(values[f.key])])));
}

/** The provider document the server validates; empty fields are left out. */
export function formPayload(state: ProviderFormState): Record<string, unknown> {
  const headers = state.headers.filter((h) => h.name.trim() !== "");
  const models = state.modelLimits.filter((m) => m.model.trim() !== "");
  const payload: Record<string, unknown> = {
    id: state.id.trim(),
    name: state.name.trim(),
    type: state.type,
    apiKey: state.apiKey === "" ? undefined : state.apiKey,
    baseUrl: state.baseUrl.trim() === "" ? undefined : state.baseUrl.trim(),
    timeout: num(state.timeout),
    timeouts: compactObject({
      connectMs: num(state.timeouts.connectMs),
      firstByteMs: num(state.timeouts.firstByteMs),
      idleMs: num(state.timeouts.idleMs),
    }),
    rateLimits: limitsPayload(state.rateLimits),
    headers:
      headers.length > 0
        ? Object.fromEntries(
            headers.map((h) => [
              h.name.trim(),
              // The server puts the stored value back for the placeholder.
              h.masked !== undefined && h.value === "" ? REDACTED_PROVIDER_HEADER : h.value,
            ]),
          )
        : undefined,
    modelRateLimits:
      models.length > 0
        ? Object.fromEntries(models.map((m) => [m.model.trim(), limitsPayload(m.limits) ?? {}]))
        : undefined,
    enabled: state.enabled,
    free: state.free ? true : undefined,
  };
  return compactObject(payload) ?? {};
}

/** What the base URL field says under itself for a provider type. */
export function baseUrlHint(type: ProviderType): string {
  if (type === "generic-openai")
    return "Required for generic-openai: the URL before /chat/completions.";
  if (type === "anthropic")
    return "Leave empty to use the built-in URL shown; with or without /v1.";
  return "Leave empty to use the built-in URL shown.";
}
