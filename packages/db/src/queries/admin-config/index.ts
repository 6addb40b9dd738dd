export * from "./chain-view";
export * from "./chain-writes";
export type { AdminConfigOptions } from "./config-draft";
export * from "./errors";
export {
  getProvider,
  listProviders,
  maskApiKey,
  type ProviderView,
  readProviderConfig,
} from "./provider-view";
export * from "./provider-writes";
