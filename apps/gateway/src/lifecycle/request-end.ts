import type { RequestLogJob } from "@429chain/contracts";
import { ClientGoneError, GatewayError } from "../errors";

export type EndOutcome = Pick<RequestLogJob, "outcome" | "httpStatus" | "errorCode">;

/** The outcome, status and code a request that ended with a thrown error is recorded with. */
export function outcomeOfError(err: unknown): EndOutcome {
  if (err instanceof ClientGoneError) {
    return { outcome: "cancelled", httpStatus: 499, errorCode: null };
  }
  if (!(err instanceof GatewayError)) {
    // A bug, not the client and not an upstream: recorded as what the client saw.
    return { outcome: "failed", httpStatus: 500, errorCode: "internal_error" };
  }
  const outcome: RequestLogJob["outcome"] =
    err.code === "all_providers_exhausted"
      ? err.status === 429
        ? "exhausted"
        : "failed"
      : err.code === "request_timeout"
        ? "timeout"
        : err.code === "internal_error"
          ? "failed"
          : "rejected";
  return { outcome, httpStatus: err.status, errorCode: err.code };
}
