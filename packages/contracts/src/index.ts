export * from "./channels";
export * from "./config";
export * from "./entry-state";
export * from "./env";
export * from "./errors";
export * from "./limits";
export * from "./openai";
export * from "./request-log";
