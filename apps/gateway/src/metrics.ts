import { Counter, Gauge, Histogram, Registry } from "prom-client";

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

/** Every Prometheus metric of one gateway instance, on its own registry (no globals). */
export class GatewayMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: "gateway_requests_total",
    help: "Requests by API (chat, messages, responses, embeddings), chain, serving provider and outcome",
    labelNames: ["api", "chain", "provider", "outcome"] as const,
    registers: [this.registry],
  });
  readonly attempts = new Counter({
    name: "gateway_upstream_attempts_total",
    help: "Upstream attempts and skipped entries by entry and outcome",
    labelNames: ["provider", "model", "outcome"] as const,
    registers: [this.registry],
  });
  readonly attemptsPerRequest = new Histogram({
    name: "gateway_upstream_calls_per_request",
    help: "Upstream calls made for one request",
    buckets: [0, 1, 2, 3, 4, 6, 8],
    registers: [this.registry],
  });
  readonly requestDuration = new Histogram({
    name: "gateway_request_duration_seconds",
    help: "Request latency until the response is complete, by API, chain, streaming and outcome",
    labelNames: ["api", "chain", "stream", "outcome"] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly upstreamDuration = new Histogram({
    name: "gateway_upstream_duration_seconds",
    help: "Upstream attempt latency until the answer (or first token) arrived",
    labelNames: ["provider", "model"] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly stateStoreErrors = new Counter({
    name: "gateway_state_store_errors_total",
    help: "Errors talking to the shared quota store (served from local state instead)",
    registers: [this.registry],
  });
  readonly stateStoreRoundTrips = new Counter({
    name: "gateway_state_store_round_trips_total",
    help: "Round trips to the quota store by operation",
    labelNames: ["op"] as const,
    registers: [this.registry],
  });
  readonly requestLogsDropped = new Counter({
    name: "gateway_request_logs_dropped_total",
    help: "Request logs dropped because the bounded buffer was full (Redis or Postgres down)",
    registers: [this.registry],
  });
  readonly requestLogsDeadLettered = new Counter({
    name: "gateway_request_logs_dead_lettered_total",
    help: "Request logs written in process that the database refused, parked in request_log_dead_letters",
    registers: [this.registry],
  });
  readonly affinity = new Counter({
    name: "gateway_affinity_total",
    help: "Served turns of affinity chains: hit (the conversation's entry served again), miss (no entry remembered) or moved (another entry served)",
    labelNames: ["chain", "result"] as const,
    registers: [this.registry],
  });
  readonly queueWait = new Histogram({
    name: "gateway_queue_wait_seconds",
    help: "Time requests waited in the queue (queueMode) by chain and how they left: served, refused, timeout, gone, failed",
    labelNames: ["chain", "outcome"] as const,
    buckets: [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    registers: [this.registry],
  });
  readonly configReloads = new Counter({
    name: "gateway_config_reloads_total",
    help: "Config reloads by result",
    labelNames: ["result"] as const,
    registers: [this.registry],
  });

  /** Children by label values, in each metric's label order (see `labelled`). */
  readonly requestOf = labelled(this.requests);
  readonly requestDurationOf = labelled(this.requestDuration);
  readonly attemptOf = labelled(this.attempts);
  readonly upstreamDurationOf = labelled(this.upstreamDuration);
  readonly affinityOf = labelled(this.affinity);
  readonly queueWaitOf = labelled(this.queueWait);

  /** Gauges read at scrape time from live state. */
  /** Waiters per queue across every replica (the shared queue's depth). */
  registerQueueDepth(read: () => Promise<Array<{ chain: string; depth: number }>>): void {
    new Gauge({
      name: "gateway_queue_depth",
      help: "Requests waiting in a chain's queue (queueMode), across every replica",
      labelNames: ["chain"] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const { chain, depth } of await read()) this.set({ chain }, depth);
      },
    });
  }

  registerLiveGauges(read: {
    cooldownsActive: () => Promise<number>;
    degraded: () => boolean;
  }): void {
    new Gauge({
      name: "gateway_cooldowns_active",
      help: "Entries currently cooling down, circuit open or auth failed",
      registers: [this.registry],
      async collect() {
        this.set(await read.cooldownsActive());
      },
    });
    new Gauge({
      name: "gateway_state_store_degraded",
      help: "1 while the shared quota store is unreachable and local state is used",
      registers: [this.registry],
      collect() {
        this.set(read.degraded() ? 1 : 0);
      },
    });
  }
}

/**
 * Memoises metric children by their label values: prom-client hashes the label object on
 * every call otherwise. Label values come only from the config (see metric-labels.ts), so
 * the cache stays as small as the config.
 */
export function labelled<M extends { labels: (...values: string[]) => unknown }>(
  metric: M,
): (...values: string[]) => ReturnType<M["labels"]> {
  type C = ReturnType<M["labels"]>;
  const children = new Map<string, C>();
  return (...values) => {
    const key = values.join("\u0000");
    let child = children.get(key);
    if (!child) {
      child = metric.labels(...values) as C;
      children.set(key, child);
    }
    return child;
  };
}
