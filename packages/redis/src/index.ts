export { awaitReady } from "./await-ready";
export { coalesceWrites, writesSent } from "./coalesce-writes";
export { publishConfigVersion } from "./config-changed";
export { keySlot, SLOT_COUNT } from "./key-slot";
export { type KeyedCommand, pipelineByNode, unwrapPipeline } from "./pipeline-by-node";
export {
  createRedisClient,
  isCluster,
  type RedisClient,
  type RedisClientOptions,
  type RedisRole,
  reconnectDelay,
} from "./redis-client";
export {
  type ParsedRedisUrl,
  parseRedisUrl,
  REDIS_URL_FORMS,
  type RedisAuth,
  type RedisNode,
  type RedisTarget,
} from "./redis-url";
export { RedisUrlSchema } from "./redis-url-schema";
