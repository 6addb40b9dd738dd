import type { Queue } from "bullmq";
import { Counter, Gauge, Histogram, Registry } from "prom-client";

export interface WorkerMetrics {
  registry: Registry;
  jobs: Counter<"result">;
  failures: Counter<"reason">;
  deadLettered: Counter;
  batches: Counter<"result">;
  batchSeconds: Histogram;
  lagSeconds: Gauge;
  retentionDeleted: Counter<"kind">;
}

/** Own registry per worker so several can run in one process (tests). */
export function createWorkerMetrics(queue: Queue): WorkerMetrics {
  const registry = new Registry();
  const depth = new Gauge({
    name: "worker_queue_jobs",
    help: "Jobs in the request-logs queue by state",
    labelNames: ["state"],
    registers: [registry],
    async collect() {
      const counts = await queue.getJobCounts("waiting", "active", "delayed", "failed");
      for (const [state, n] of Object.entries(counts)) this.set({ state }, n);
    },
  });
  void depth;
  return {
    registry,
    jobs: new Counter({
      name: "worker_jobs_processed_total",
      help: "Request-log jobs stored, by result (inserted or duplicate batch)",
      labelNames: ["result"],
      registers: [registry],
    }),
    failures: new Counter({
      name: "worker_job_failures_total",
      help: "Request logs that failed, by reason (invalid: refused at parse time; db_unavailable: waiting for the database; batch: other write failure to retry, e.g. a deadlock)",
      labelNames: ["reason"],
      registers: [registry],
    }),
    deadLettered: new Counter({
      name: "worker_request_logs_dead_lettered_total",
      help: "Request logs the database refused, parked in request_log_dead_letters while the rest of their batch was stored",
      registers: [registry],
    }),
    batches: new Counter({
      name: "worker_batches_total",
      help: "Batches written to Postgres, by result",
      labelNames: ["result"],
      registers: [registry],
    }),
    batchSeconds: new Histogram({
      name: "worker_batch_duration_seconds",
      help: "Time to write one batch",
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    retentionDeleted: new Counter({
      name: "worker_retention_deleted_total",
      help: "Rows removed by retention, by kind (request: raw log with its attempts)",
      labelNames: ["kind"],
      registers: [registry],
    }),
    lagSeconds: new Gauge({
      name: "worker_lag_seconds",
      help: "Enqueue-to-stored time of the last batch's oldest job",
      registers: [registry],
    }),
  };
}
