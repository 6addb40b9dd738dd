import { createRedisClient } from "@429chain/redis";
import {
  type StackParts,
  startTestStack,
  type TestStack,
  type TestStackOptions,
} from "@429chain/testing";
import { type RunningWorker, startWorker } from "@429chain/worker/start-worker";
import { GATEWAY_MAIN } from "./gateway-process";

/** The shared test stack (packages/testing) with this app's gateway. */
export function startGatewayStack<W extends { stop(): Promise<unknown> }>(
  options: Omit<TestStackOptions<W>, "gatewayEntry">,
): Promise<TestStack<W>> {
  return startTestStack({ gatewayEntry: GATEWAY_MAIN, ...options });
}

export type InProcessWorker = RunningWorker & { stop(): Promise<void> };

/** The worker in the test's process, on the stack's database and Redis. */
export async function inProcessWorker(
  parts: StackParts,
  options: { flushMs?: number } = {},
): Promise<InProcessWorker> {
  const redis = createRedisClient(parts.redisEnv.REDIS_URL, { role: "worker" });
  const worker = await startWorker({
    db: parts.db.db,
    redis,
    keyPrefix: parts.redis.prefix,
    port: null,
    ...options,
  }).catch((err: unknown) => {
    redis.disconnect();
    throw err;
  });
  return {
    ...worker,
    async stop() {
      await worker.close();
      redis.disconnect();
    },
  };
}
