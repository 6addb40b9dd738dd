import { createRedisClient, publishConfigVersion } from "@429chain/redis";

interface ConfigChangedPublisherOptions {
  /** Unset: no Redis, gateways notice changes by polling the config version alone. */
  redisUrl: string | undefined;
  keyPrefix: string;
  warn(message: string): void;
}

type PublishConfigChanged = (version: number) => Promise<void>;

/**
 * Publishes the new config version on the config-changed channel. The write it announces
 * has already committed, so a Redis failure is a warning: gateways still poll the version.
 */
export function createConfigChangedPublisher(
  options: ConfigChangedPublisherOptions,
): PublishConfigChanged {
  const { redisUrl } = options;
  if (!redisUrl) return async () => {};
  return async (version) => {
    // The gateway role fails fast instead of queueing; a one-shot command must not retry
    // forever either, so reconnection is off and the connection is opened explicitly.
    let lastError: Error | undefined;
    const redis = createRedisClient(redisUrl, {
      role: "gateway",
      name: "429chain-cli",
      onError: (err) => {
        lastError = err;
      },
      overrides: { lazyConnect: true, retryStrategy: () => null },
    });
    try {
      await redis.connect();
      await publishConfigVersion(redis, options.keyPrefix, version);
    } catch (err) {
      // connect() rejects with a bare "Connection is closed"; the error event says why.
      const reason = (lastError ?? (err as Error)).message;
      options.warn(
        `config version ${version} is saved, but announcing it on Redis failed (${reason}); ` +
          "gateway replicas will pick the change up at their next version poll",
      );
    } finally {
      redis.disconnect();
    }
  };
}
