export * from "./client-key-limits";
export * from "./create-db";
export * from "./migrate";
export * from "./queries/admin-config";
export { type AuditEntry, writeAudit } from "./queries/audit";
export * from "./queries/audit-list";
export * from "./queries/client-keys";
export { bumpConfigVersion, getConfigVersion } from "./queries/config-version";
export * from "./queries/errors";
export { type ConfigExport, type ExportOptions, exportConfig } from "./queries/export-config";
export { hasStoredConfig } from "./queries/has-stored-config";
export { type ImportOptions, importConfig } from "./queries/import-config";
export * from "./queries/load-config-snapshot";
export { isRedacted, REDACTED_PROVIDER_KEY } from "./queries/redaction";
export * from "./queries/request-logs/aggregate-rollups";
export * from "./queries/request-logs/list-request-logs";
export * from "./queries/request-logs/process-batch";
export * from "./queries/request-logs/retention";
export * from "./queries/sessions";
export * from "./queries/stats/entry-rate-limit-counts";
export * from "./queries/stats/rollup-filters";
export * from "./queries/stats/stats-overview";
export * from "./queries/stats/stats-time-series";
export { type ClientKeyUse, touchClientKeys } from "./queries/touch-client-keys";
export * from "./queries/usable-client-keys";
export * from "./queries/user-admin";
export * from "./queries/users";
export * from "./schema";
export * from "./secrets/client-key";
export * from "./secrets/encrypt-secret";
export * from "./secrets/master-key";
export * from "./secrets/password";
export {
  derivePlaygroundKey,
  PLAYGROUND_KEY_NAME,
  revokePlaygroundKeysOf,
} from "./secrets/playground-key";
export * from "./secrets/rotate-secrets";
export { isDatabaseUnavailable } from "./unavailable";
