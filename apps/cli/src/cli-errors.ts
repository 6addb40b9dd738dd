/** Bad command line: the message, then usage; exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
  constructor(
    message: string,
    /** The usage text to print after the message; unset: the running command's. */
    readonly usage?: string,
  ) {
    super(message);
  }
}

/** An expected failure with a message fit for the operator as it is; exit code 1. */
export class CliError extends Error {
  override readonly name = "CliError";
  constructor(
    message: string,
    /** Lines printed before the message, e.g. every problem of a config file. */
    readonly details: string[] = [],
  ) {
    super(message);
  }
}
