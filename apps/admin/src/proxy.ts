import { type NextRequest, NextResponse } from "next/server";
import { contentSecurityPolicy, newNonce, SECURITY_HEADERS } from "./lib/content-security-policy";
import { paginationProblem } from "./lib/pagination-params";

/**
 * Runs before every request (no matcher: static files and API answers get the headers too).
 * Gives each response a fresh CSP nonce and the security headers, and refuses a malformed
 * page link with 400 before a page renders.
 */
export function proxy(request: NextRequest): NextResponse {
  // NODE_ENV is a constant Next sets per build (development under `next dev`), not configuration.
  const csp = contentSecurityPolicy(newNonce(), {
    development: process.env.NODE_ENV === "development",
  });
  const problem = paginationProblem(request.nextUrl.pathname, request.nextUrl.searchParams);
  let response: NextResponse;
  if (problem) {
    response = new NextResponse(`Bad request: ${problem}\n`, {
      status: 400,
      headers: { "content-type": "text/plain; charset=utf-8" },
    });
  } else {
    // Next takes the nonce for its own scripts from the request's CSP header.
    const headers = new Headers(request.headers);
    headers.set("content-security-policy", csp);
    response = NextResponse.next({ request: { headers } });
  }
  response.headers.set("content-security-policy", csp);
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.headers.set(name, value);
  return response;
}
