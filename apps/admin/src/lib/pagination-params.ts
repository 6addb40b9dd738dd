import { decodeRequestLogCursor } from "@429chain/db/request-log-cursor";

/**
 * What is wrong with the page-link parameter of a paginated console page, or null. A value
 * the console did not make is refused with 400 by the proxy, rather than ignored (a silently
 * different page) or failing the render (a 500).
 */
export function paginationProblem(pathname: string, params: URLSearchParams): string | null {
  if (pathname === "/requests") {
    const cursor = params.get("cursor");
    if (cursor === null || cursor === "") return null;
    return decodeRequestLogCursor(cursor) === null
      ? "?cursor= is not a request-log page link (the “Older →” link makes them): open /requests to start again from the newest."
      : null;
  }
  if (pathname === "/audit") {
    const before = params.get("before");
    if (before === null || before === "") return null;
    return /^[1-9]\d{0,15}$/.test(before)
      ? null
      : "?before= must be an audit entry id, a positive whole number: open /audit to start again from the newest.";
  }
  return null;
}
