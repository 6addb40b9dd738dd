import { describeError } from "./errors";

/** A route handler's error as JSON `{ error, fieldErrors? }` with the matching status. */
export function toResponse(err: unknown): Response {
  const { status, error, fieldErrors } = describeError(err);
  return Response.json(fieldErrors ? { error, fieldErrors } : { error }, { status });
}
