export * from "./redis";
