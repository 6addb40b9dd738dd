import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { requestLogQuery } from "../../server/requests/request-log-filters";
import { RequestFilters } from "./request-filters";

describe("RequestFilters", () => {
  it("has a client request id field that keeps the value searched for", () => {
    const { params } = requestLogQuery({ clientRequestId: "order-42" });
    const html = renderToStaticMarkup(
      createElement(RequestFilters, {
        params,
        options: { chains: [], defaultChain: null, providers: [], keys: [] },
      }),
    );
    expect(html).toMatch(/<label[^>]*for="f-client-request-id"[^>]*>Client request id</);
    expect(html).toMatch(/<input[^>]*name="clientRequestId"[^>]*value="order-42"/);
  });
});
