/**
 * The admin console end to end in Debian's chromium, part two: the pages that watch traffic
 * (request log, dashboard, rate limits, quota, playground) as requests go through the gateway,
 * with Redis and without it (the gateway's control API). Starts from the config that
 * e2e-config.int.test.ts builds in the browser (e2e-session.ts stores it directly).
 */
import { completion, openaiRateLimited, rateLimitHeaders, waitFor } from "@429chain/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { logIn, newContext, screenshot } from "./browser";
import { CHAIN, EMBED_CHAIN, UPSTREAM_PATH, useE2eSession } from "./e2e-session";
import { ADMIN, startControlledPair, VIEWER } from "./e2e-stack";
import { chatThroughGateway } from "./gateway-client";
import { tileNumber } from "./page-helpers";

const s = useE2eSession({ label: "admin_e2e_observe", configured: true });

// Requests for the log and the dashboard, served by the chain's first entry.
beforeAll(() => s.waitForServedBy("x/m1"), 60_000);

// Each step drives pages and waits on other processes; on two busy cores that can take a while.
describe("admin console in a real browser: watching traffic", { timeout: 120_000 }, () => {
  it("shows the requests in the request log and on the dashboard", async () => {
    await s.page.goto("/requests");
    const row = s.page.getByTestId("request-row").filter({ hasText: "x/m1" }).first();
    await waitFor(
      async () => {
        await s.page.reload();
        return (await row.count()) > 0;
      },
      { timeoutMs: 15_000, intervalMs: 250, description: "a logged request on the e2e chain" },
    );
    await row.locator("summary").click();
    const attempt = row.getByTestId("request-attempt");
    await attempt.first().waitFor();
    expect(await attempt.first().textContent()).toContain("x/m1");
    await screenshot(s.page, "requests");

    await s.page.goto("/dashboard");
    await waitFor(
      async () => {
        await s.page.reload();
        return (await tileNumber(s.page, "Requests")) >= s.servedCount;
      },
      { timeoutMs: 15_000, intervalMs: 250, description: `dashboard counting ${s.servedCount}` },
    );
    expect(await s.page.locator("main").textContent()).toContain(CHAIN);
    await screenshot(s.page, "dashboard");
  });

  it("shows the first entry cooling down on the live view, without a reload", async () => {
    await s.page.goto("/ratelimits");
    await s.page.locator('[data-testid="ratelimit-connection"][data-state="live"]').waitFor();
    const m1 = s.page.locator('[data-testid="ratelimit-row"][data-entry="x/m1"]');
    await m1.waitFor();
    expect(["available", "tracking"]).toContain(await m1.getAttribute("data-status"));
    // Survives only as long as the document does: a reload would drop it.
    await s.page.evaluate(() => {
      (window as unknown as { e2eMarker: number }).e2eMarker = 1;
    });

    s.stack.upstream.setDefault(UPSTREAM_PATH, (req) => {
      const model = (req.body as { model: string }).model;
      return model === "m1"
        ? openaiRateLimited({ retryAfterS: 600 })
        : completion(model, "served after a 429");
    });
    expect(await s.chat()).toEqual({ entry: "x/m2", attempts: 2 });

    await s.page
      .locator('[data-testid="ratelimit-row"][data-entry="x/m1"][data-status="cooling_down"]')
      .waitFor({ timeout: 10_000 });
    expect(
      await s.page.evaluate(() => (window as unknown as { e2eMarker?: number }).e2eMarker),
    ).toBe(1);
    expect(await m1.getByTestId("ratelimit-status").textContent()).toContain("cooling down");
    await m1.getByTestId("ratelimit-countdown").waitFor();
    await m1.getByRole("button", { name: "Clear cooldown of x/m1" }).waitFor();
    await screenshot(s.page, "ratelimits");
  });

  it("shows the Quota page: each chain's entries stacked by what they have left, pushed without a reload", async () => {
    await s.page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "Quota" })
      .click();
    await s.page.waitForURL("**/quota");
    await s.page.locator('[data-testid="quota-connection"][data-state="live"]').waitFor();
    const card = s.page.locator(`[data-testid="quota-chain"][data-chain="${CHAIN}"]`);
    const segment = (entry: string) =>
      card.locator(`[data-testid="quota-segment"][data-entry="${entry}"]`);
    // x/m1 is still cooling down from the step above: nothing left to serve.
    await segment("x/m1").and(s.page.locator('[data-status="cooling_down"]')).waitFor();
    expect(await segment("x/m1").getAttribute("data-remaining")).toBe("0");
    const order = await card
      .getByTestId("quota-segment")
      .evaluateAll((els) => els.map((el) => el.getAttribute("data-entry")));
    expect(order).toEqual(["x/m1", "x/m2"]);
    await s.page.evaluate(() => {
      (window as unknown as { e2eMarker: number }).e2eMarker = 2;
    });

    s.stack.upstream.setDefault(UPSTREAM_PATH, (req) => {
      const model = (req.body as { model: string }).model;
      return model === "m1"
        ? openaiRateLimited({ retryAfterS: 600 })
        : completion(model, "served with its day's window", undefined, {
            ...rateLimitHeaders({
              limitRequests: 1000,
              remainingRequests: 777,
              resetRequests: "6h0m0s",
            }),
          });
    });
    expect((await s.chat()).entry).toBe("x/m2");
    await segment("x/m2")
      .and(s.page.locator('[data-remaining="777"]'))
      .waitFor({ timeout: 10_000 });
    expect(
      await s.page.evaluate(() => (window as unknown as { e2eMarker?: number }).e2eMarker),
    ).toBe(2);
    await card.getByTestId("quota-forecast").waitFor();
    expect(await card.getByTestId("quota-reset").allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining("x/m2")]),
    );
    await screenshot(s.page, "quota");
  });

  it("has a screenshot of the playground, users and audit pages", async () => {
    await s.page.goto("/playground");
    await s.page.getByRole("form", { name: "Playground" }).waitFor();
    const mode = s.page.getByTestId("playground-mode");
    const chainPicker = s.page.getByLabel("Chain", { exact: true });
    await mode.selectOption("embeddings");
    expect(await chainPicker.locator("option").allTextContents()).toEqual([EMBED_CHAIN]);
    // The Responses API, streamed through the gateway, on the seed chain (x/m1 is cooling down).
    await mode.selectOption("responses");
    await chainPicker.selectOption("seed");
    await s.page.getByLabel("Prompt").fill("Say hi");
    await s.page.getByRole("button", { name: "Send" }).click();
    await s.page
      .getByTestId("playground-tokens")
      .filter({ hasText: /^\d+ \/ \d+$/ })
      .waitFor();
    expect(await s.page.getByTestId("playground-answer").textContent()).toBe(
      "Hello from the fake upstream.",
    );
    expect(await s.page.getByTestId("playground-served-by").textContent()).toBe("seed/seed-model");
    await screenshot(s.page, "playground");
    await s.page.goto("/users");
    await s.page.getByTestId(`user-row-${VIEWER.email}`).waitFor();
    await screenshot(s.page, "users");
    await s.page.goto("/audit");
    expect(await s.page.locator("main").textContent()).toContain(ADMIN.email);
    await screenshot(s.page, "audit");
  });

  it("without Redis (as the quickstart runs): Rate limits and Quota read the gateway's control API, and clear cooldown works there", async () => {
    const pair = await startControlledPair(s.stack);
    const context = await newContext(s.browser, pair.admin.url);
    try {
      const p = await context.newPage();
      s.watchCsp(p);
      await logIn(p, ADMIN.email, ADMIN.password);
      // x/m1 still answers 429: this gateway, with its state in its memory, cools it down.
      expect(await chatThroughGateway(pair.gateway.url, s.clientKey, CHAIN)).toEqual({
        entry: "x/m2",
        attempts: 2,
      });
      await p.goto("/ratelimits");
      await p.locator('[data-testid="ratelimit-connection"][data-state="live"]').waitFor();
      const m1 = p.locator('[data-testid="ratelimit-row"][data-entry="x/m1"]');
      await m1.and(p.locator('[data-status="cooling_down"]')).waitFor();
      await screenshot(p, "ratelimits-control-api");
      s.stack.upstream.setDefault(UPSTREAM_PATH, (req) =>
        completion((req.body as { model: string }).model, "served again"),
      );
      await m1.getByRole("button", { name: "Clear cooldown of x/m1" }).click();
      await m1.and(p.locator('[data-status="available"], [data-status="tracking"]')).waitFor();
      expect((await chatThroughGateway(pair.gateway.url, s.clientKey, CHAIN)).entry).toBe("x/m1");

      await p.goto("/quota");
      await p.locator('[data-testid="quota-connection"][data-state="live"]').waitFor();
      const card = p.locator(`[data-testid="quota-chain"][data-chain="${CHAIN}"]`);
      await card.locator('[data-testid="quota-segment"][data-entry="x/m1"]').waitFor();
      await screenshot(p, "quota-control-api");
    } finally {
      await context.close();
      await pair.stop();
    }
  });

  it("ran every page without a Content-Security-Policy violation", () => {
    expect(s.cspViolations).toEqual([]);
  });
});
