export * from "./admin-users";
export * from "./audit-log";
export * from "./chains";
export * from "./client-api-keys";
export * from "./config-version";
export * from "./providers";
export * from "./settings";
