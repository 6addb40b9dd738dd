import {
  type AttemptSummary,
  ERROR_STATUS,
  type ErrorCode,
  type ErrorEnvelope,
  errorTypeFor,
} from "@429chain/contracts";

/** An error answered to the client in the OpenAI envelope. Thrown at the HTTP boundary only. */
export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly param: string | null;
  readonly attempts: AttemptSummary[] | undefined;
  readonly headers: Record<string, string>;

  constructor(
    code: ErrorCode,
    message: string,
    opts: {
      param?: string | null;
      attempts?: AttemptSummary[];
      headers?: Record<string, string>;
      status?: number;
    } = {},
  ) {
    super(message);
    this.code = code;
    this.status = opts.status ?? ERROR_STATUS[code];
    this.param = opts.param ?? null;
    this.attempts = opts.attempts;
    this.headers = opts.headers ?? {};
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

/** The client disconnected; there is nobody to answer. */
export class ClientGoneError extends Error {
  constructor() {
    super("client disconnected");
  }
}
