export * from "./format-path";
export * from "./load-config";
export * from "./schema-keys";
export * from "./suggest-key";
