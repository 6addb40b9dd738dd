import type { ConfigSource } from "../config/config-source";
import type { ConfigSnapshot } from "../config/snapshot";
import type { GatewayMetrics } from "../metrics";
import { metricLabelsFor, OTHER_LABEL } from "../metrics-labels";
import type { QueueMode, QueueObserver } from "./queue-mode";

/**
 * The metric label of a queue, from the config only: the chain's name, or `<provider>/*` for
 * the queue of direct `provider/model` requests.
 */
export function queueLabel(snapshot: ConfigSnapshot, queue: string): string {
  const [kind, ...rest] = queue.split(":");
  const name = rest.join(":");
  if (kind === "chain") return metricLabelsFor(snapshot).chain(name);
  return snapshot.providers.has(name) ? `${name}/*` : OTHER_LABEL;
}

export function queueObserver(metrics: GatewayMetrics, config: ConfigSource): QueueObserver {
  return {
    left(queue, outcome, waitedMs) {
      const chain = queueLabel(config.current(), queue);
      metrics.queueWaitOf(chain, outcome).observe(waitedMs / 1000);
    },
  };
}

/** Depth of every chain's queue, read from the shared store when scraped (queueMode only). */
export function registerQueueGauge(
  metrics: GatewayMetrics,
  config: ConfigSource,
  queue: QueueMode,
): void {
  metrics.registerQueueDepth(async () => {
    const snapshot = config.current();
    if (!snapshot.settings.queueMode) return [];
    const names = [...snapshot.chains.keys()];
    const stats = await Promise.all(
      names.map((name) => queue.stats(`chain:${name}`).catch(() => ({ depth: 0 }))),
    );
    return names.map((name, i) => ({
      chain: queueLabel(snapshot, `chain:${name}`),
      depth: stats[i]?.depth ?? 0,
    }));
  });
}
