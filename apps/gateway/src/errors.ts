import {
  type AttemptSummary,
  ERROR_STATUS,
  type ErrorCode,
  type ErrorEnvelope,
  type ErrorStatus,
  errorTypeFor,
  isErrorStatus,
} from "@429chain/contracts";

/**
 * An error answered to the client in the OpenAI envelope. Thrown at the HTTP boundary only.
 * Its status is the code's own, or one of the alternatives the contracts' table lists for it.
 */
export class GatewayError<C extends ErrorCode = ErrorCode> extends Error {
  readonly code: C;
  readonly status: number;
  readonly param: string | null;
  readonly attempts: AttemptSummary[] | undefined;
  /** Epoch ms when retrying may succeed; sent as Retry-After (whole seconds, at least 1). */
  readonly retryAt: number | undefined;

  constructor(
    code: C,
    message: string,
    opts: {
      param?: string | null;
      attempts?: AttemptSummary[];
      retryAt?: number;
      status?: ErrorStatus<C>;
    } = {},
  ) {
    super(message);
    const status = opts.status ?? ERROR_STATUS[code];
    if (!isErrorStatus(code, status)) throw new Error(`${code} is never answered with ${status}`);
    this.code = code;
    this.status = status;
    this.param = opts.param ?? null;
    this.attempts = opts.attempts;
    this.retryAt = opts.retryAt;
  }

  /** Headers that go with the error: Retry-After, counted from now. */
  headers(now = Date.now()): Record<string, string> {
    if (this.retryAt === undefined) return {};
    return { "retry-after": String(retryAfterSeconds(this.retryAt, now)) };
  }

  toEnvelope(requestId: string): ErrorEnvelope {
    return {
      error: {
        message: this.message,
        type: errorTypeFor(this.status),
        param: this.param,
        code: this.code,
        ...(this.attempts ? { attempts: this.attempts } : {}),
      },
      request_id: requestId,
    };
  }
}

/** Whole seconds until `retryAt`, at least 1 (a Retry-After of 0 invites a busy loop). */
export function retryAfterSeconds(retryAt: number, now: number): number {
  return Math.max(1, Math.ceil((retryAt - now) / 1000));
}

/** The client disconnected; there is nobody to answer. */
export class ClientGoneError extends Error {
  constructor() {
    super("client disconnected");
  }
}
