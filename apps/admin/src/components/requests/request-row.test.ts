import type { RequestLogWithAttempts } from "@429chain/db";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { RequestRow } from "./request-row";

const LOG: RequestLogWithAttempts = {
  requestId: "gw-1",
  clientRequestId: null,
  api: "chat",
  at: new Date(Date.UTC(2026, 0, 5, 10)),
  apiKeyId: null,
  chain: "fast",
  provider: "groq",
  model: "m1",
  stream: false,
  outcome: "ok",
  httpStatus: 200,
  errorCode: null,
  promptTokens: 1,
  completionTokens: 2,
  tokensEstimated: false,
  costMicros: null,
  savedMicros: null,
  latencyMs: 40,
  ttfbMs: 30,
  replica: "r1",
  attempts: [],
};

const render = (log: RequestLogWithAttempts) =>
  renderToStaticMarkup(createElement(RequestRow, { log, keyLabel: "none" }));

describe("RequestRow", () => {
  it("shows the client's request id beside the gateway's in the expanded row", () => {
    const html = render({ ...LOG, clientRequestId: "order-42" });
    expect(html).toMatch(/Request <span[^>]*>gw-1<\/span>/);
    expect(html).toMatch(
      /client request id <span[^>]*data-testid="client-request-id"[^>]*>order-42</,
    );
  });

  it("says nothing of a client request id when the client sent none", () => {
    expect(render(LOG)).not.toContain("client request id");
  });
});
