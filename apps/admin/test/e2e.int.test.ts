/**
 * The admin console end to end in Debian's chromium (playwright-core): a production `next
 * start`, Postgres, Redis, a worker, a gateway replica in DB mode and the fake upstream.
 * Screenshots of every page go to apps/admin/test/artifacts/. The steps share one browser
 * session and run in order.
 */
import { adminSessions, listChains } from "@429chain/db";
import { dumpTables } from "@429chain/db/testing";
import { completion, openaiRateLimited, rateLimitHeaders, waitFor } from "@429chain/testing";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, logIn, newContext, screenshot } from "./browser";
import { ADMIN, type E2eStack, startControlledPair, startE2eStack, VIEWER } from "./e2e-stack";
import { chatThroughGateway, type Served } from "./gateway-client";
import { dragEntry, editorEntries, enabledControls, tileNumber } from "./page-helpers";
import { builtWriteActions } from "./server-actions";

const CHAIN = "e2e";
const EMBED_CHAIN = "e2e-embed";
const UPSTREAM_PATH = "/x/chat/completions";

let stack: E2eStack;
let browser: Browser;
let admin: BrowserContext;
let page: Page;
let clientKey = "";
/** Content-Security-Policy violations Chromium reported on any page of the admin's session. */
const cspViolations: string[] = [];
/** Requests the gateway served on the e2e chain; the dashboard counts at least these. */
let servedCount = 0;

async function chat(): Promise<Served> {
  const served = await chatThroughGateway(stack.gateway.url, clientKey, CHAIN);
  servedCount++;
  return served;
}

/** Waits until the gateway serves the chain from `entry` (its config arrives by pub/sub). */
async function waitForServedBy(entry: string): Promise<void> {
  await waitFor(async () => (await chat()).entry === entry, {
    timeoutMs: 10_000,
    intervalMs: 5,
    description: `the gateway serving ${CHAIN} from ${entry}`,
  });
}

async function storedOrder(): Promise<string[]> {
  const { chains } = await listChains(stack.db.db);
  return chains.find((c) => c.name === CHAIN)?.entries.map((e) => `${e.provider}/${e.model}`) ?? [];
}

beforeAll(async () => {
  stack = await startE2eStack("admin_e2e");
  browser = await launchChromium();
  admin = await newContext(browser, stack.admin.url);
  page = await admin.newPage();
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
}, 900_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
}, 60_000);

// Each step drives pages and waits on other processes; on two busy cores that can take a while.
describe("admin console in a real browser", { timeout: 120_000 }, () => {
  it("logs in as the admin", async () => {
    const login = await page.goto("/login");
    const headers = login!.headers();
    expect(headers["content-security-policy"]).toMatch(/frame-ancestors 'none'/);
    expect(headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[^']+'/);
    expect(headers["x-frame-options"]).toBe("DENY");
    await page.goto("/dashboard");
    await page.waitForURL("**/login");
    await screenshot(page, "login");
    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByText("Wrong email or password.").waitFor();
    await logIn(page, ADMIN.email, ADMIN.password);
    expect(await page.getByTestId("current-role").textContent()).toBe("admin");
  });

  it("adds a provider on the fake upstream", async () => {
    await page.goto("/providers");
    await page.getByTestId("add-provider").click();
    await page.getByLabel("Provider ID").fill("x");
    await page.getByLabel("Display name").fill("Fake X");
    await page.getByLabel("Type").selectOption("generic-openai");
    await page.getByLabel("Base URL").fill(`${stack.upstream.url}/x`);
    await page.locator("#provider-apiKey").fill("sk-up-x-secret-0001");
    await page.getByRole("button", { name: "Add header" }).click();
    await page.getByLabel("Header 1 name").fill("X-Api-Key");
    await page.getByLabel("Header 1 value").fill("hdr-up-x-secret-0002");
    await page.getByTestId("provider-save").click();
    await page.waitForURL("**/providers/x?saved=*");
    // A credential header is write-only like the key: masked, never in the page.
    const header = page.getByTestId("provider-masked-header");
    expect(await header.getAttribute("placeholder")).toMatch(/^••••0002 /);
    expect(await header.inputValue()).toBe("");
    expect(await page.content()).not.toContain("hdr-up-x-secret-0002");
    await page.goto("/providers");
    const row = page.locator('[data-testid="provider-row"][data-provider="x"]');
    await row.waitFor();
    expect(await row.textContent()).toContain(`${stack.upstream.url}/x`);
    // The key is write-only: the page never carries it.
    expect(await page.content()).not.toContain("sk-up-x-secret-0001");
    await screenshot(page, "providers");
  });

  it("creates a chain with two entries", async () => {
    await page.goto("/chains/new");
    await page.getByLabel("Chain name").fill(CHAIN);
    await page.getByTestId("add-chain-entry").click();
    await page.getByTestId("add-chain-entry").click();
    await page.getByLabel("Entry 1 provider").selectOption("x");
    await page.getByLabel("Entry 1 model").fill("m2");
    await page.getByLabel("Entry 2 provider").selectOption("x");
    await page.getByLabel("Entry 2 model").fill("m1");
    expect(await page.getByTestId("chain-kind").inputValue()).toBe("chat");
    expect(await page.getByTestId("chain-dimensions").count()).toBe(0);
    await page.getByTestId("chain-save").click();
    await page.waitForURL(`**/chains/${CHAIN}?saved=*`);
    expect(await editorEntries(page)).toEqual(["x/m2", "x/m1"]);
    expect(await storedOrder()).toEqual(["x/m2", "x/m1"]);
    expect(await page.getByTestId("chain-kind-badge").textContent()).toBe("chat");
  });

  it("sets a chat chain's conversation affinity, shows it on the page and the list, and clears it", async () => {
    const stored = async () =>
      (await listChains(stack.db.db)).chains.find((c) => c.name === CHAIN)?.affinity;
    await page.goto(`/chains/${CHAIN}`);
    expect(await page.getByTestId("chain-affinity").inputValue()).toBe("");
    await page.getByTestId("chain-affinity").selectOption("conversation");
    await page.getByTestId("chain-save").click();
    await page.getByTestId("chain-save-status").waitFor();
    expect(await stored()).toBe("conversation");
    await page.getByTestId("chain-affinity-badge").waitFor();
    await page.goto("/chains");
    const row = page.locator(`[data-testid="chain-row"][data-chain="${CHAIN}"]`);
    expect(await row.getByTestId("chain-affinity-badge").textContent()).toBe(
      "conversation affinity",
    );
    // Cleared again: the later steps watch the chain's order pick the serving entry.
    await page.goto(`/chains/${CHAIN}`);
    expect(await page.getByTestId("chain-affinity").inputValue()).toBe("conversation");
    await page.getByTestId("chain-affinity").selectOption("");
    await page.getByTestId("chain-save").click();
    await page.getByTestId("chain-save-status").waitFor();
    expect(await stored()).toBeNull();
    await page.getByTestId("chain-affinity-badge").waitFor({ state: "detached" });
  });

  it("creates an embeddings chain with its dimensions; the chain list shows both", async () => {
    await page.goto("/chains/new");
    await page.getByLabel("Chain name").fill(EMBED_CHAIN);
    await page.getByTestId("chain-kind").selectOption("embeddings");
    expect(await page.getByTestId("chain-affinity").count()).toBe(0);
    await page.getByTestId("chain-dimensions").fill("8");
    await page.getByTestId("add-chain-entry").click();
    await page.getByLabel("Entry 1 provider").selectOption("x");
    await page.getByLabel("Entry 1 model").fill("emb");
    await page.getByTestId("chain-save").click();
    await page.waitForURL(`**/chains/${EMBED_CHAIN}?saved=*`);
    expect(await page.getByTestId("chain-dimensions").inputValue()).toBe("8");
    const { chains } = await listChains(stack.db.db);
    expect(chains.find((c) => c.name === EMBED_CHAIN)).toMatchObject({
      kind: "embeddings",
      dimensions: 8,
    });
    await page.goto("/chains");
    const row = page.locator(`[data-testid="chain-row"][data-chain="${EMBED_CHAIN}"]`);
    expect(await row.getByTestId("chain-kind-badge").textContent()).toBe(
      "embeddings · 8 dimensions",
    );
  });

  it("creates a client key and uses it with the openai SDK on the new chain", async () => {
    await page.goto("/keys");
    const form = page.getByRole("form", { name: "Create a key" });
    await form.getByLabel("Name").fill("e2e-client");
    await form.getByLabel("Requests per minute").fill("1000");
    await form.getByRole("button", { name: "Create key" }).click();
    clientKey = (await page.getByTestId("new-key-secret").textContent()) ?? "";
    expect(clientKey).toMatch(/^sk-429-/);
    await screenshot(page, "keys");
    // Shown once: a fresh load of the page lists the key by prefix only.
    await page.reload();
    await page.getByText("e2e-client").first().waitFor();
    expect(await page.content()).not.toContain(clientKey);
    await waitForServedBy("x/m2");
    const served = await chat();
    expect(served).toEqual({ entry: "x/m2", attempts: 1 });
    // The gateway decrypted the credential header the console stored.
    expect(stack.upstream.requests(UPSTREAM_PATH).at(-1)?.headers["x-api-key"]).toBe(
      "hdr-up-x-secret-0002",
    );
  });

  it("reorders the chain by drag-and-drop and the gateway serves the new order", async () => {
    await page.goto(`/chains/${CHAIN}`);
    const timings: number[] = [];
    // Three saves (m1 first, m2 first, m1 first); each is timed from the click on Save to
    // the first gateway answer served by the new first entry.
    for (const first of ["x/m1", "x/m2", "x/m1"]) {
      await dragEntry(page, 1, 0);
      const expected = first === "x/m1" ? ["x/m1", "x/m2"] : ["x/m2", "x/m1"];
      expect(await editorEntries(page)).toEqual(expected);
      const t0 = performance.now();
      await page.getByTestId("chain-save").click();
      await waitForServedBy(first);
      timings.push(performance.now() - t0);
      await page.getByTestId("chain-save-status").waitFor();
      expect(await storedOrder()).toEqual(expected);
    }
    console.log(
      `figure (a) chain save in the browser → gateway serves the new order: ${timings
        .map((t) => `${t.toFixed(0)} ms`)
        .join(", ")}`,
    );
    await page.reload();
    expect(await editorEntries(page)).toEqual(["x/m1", "x/m2"]);
    await page.goto("/chains");
    await screenshot(page, "chains");
  });

  it("shows the requests in the request log and on the dashboard", async () => {
    await page.goto("/requests");
    const row = page.getByTestId("request-row").filter({ hasText: "x/m1" }).first();
    await waitFor(
      async () => {
        await page.reload();
        return (await row.count()) > 0;
      },
      { timeoutMs: 15_000, intervalMs: 250, description: "a logged request on the e2e chain" },
    );
    await row.locator("summary").click();
    const attempt = row.getByTestId("request-attempt");
    await attempt.first().waitFor();
    expect(await attempt.first().textContent()).toContain("x/m1");
    await screenshot(page, "requests");

    await page.goto("/dashboard");
    await waitFor(
      async () => {
        await page.reload();
        return (await tileNumber(page, "Requests")) >= servedCount;
      },
      { timeoutMs: 15_000, intervalMs: 250, description: `dashboard counting ${servedCount}` },
    );
    expect(await page.locator("main").textContent()).toContain(CHAIN);
    await screenshot(page, "dashboard");
  });

  it("shows the first entry cooling down on the live view, without a reload", async () => {
    await page.goto("/ratelimits");
    await page.locator('[data-testid="ratelimit-connection"][data-state="live"]').waitFor();
    const m1 = page.locator('[data-testid="ratelimit-row"][data-entry="x/m1"]');
    await m1.waitFor();
    expect(["available", "tracking"]).toContain(await m1.getAttribute("data-status"));
    // Survives only as long as the document does: a reload would drop it.
    await page.evaluate(() => {
      (window as unknown as { e2eMarker: number }).e2eMarker = 1;
    });

    stack.upstream.setDefault(UPSTREAM_PATH, (req) => {
      const model = (req.body as { model: string }).model;
      return model === "m1"
        ? openaiRateLimited({ retryAfterS: 600 })
        : completion(model, "served after a 429");
    });
    expect(await chat()).toEqual({ entry: "x/m2", attempts: 2 });

    await page
      .locator('[data-testid="ratelimit-row"][data-entry="x/m1"][data-status="cooling_down"]')
      .waitFor({ timeout: 10_000 });
    expect(await page.evaluate(() => (window as unknown as { e2eMarker?: number }).e2eMarker)).toBe(
      1,
    );
    expect(await m1.getByTestId("ratelimit-status").textContent()).toContain("cooling down");
    await m1.getByTestId("ratelimit-countdown").waitFor();
    await m1.getByRole("button", { name: "Clear cooldown of x/m1" }).waitFor();
    await screenshot(page, "ratelimits");
  });

  it("shows the Quota page: each chain's entries stacked by what they have left, pushed without a reload", async () => {
    await page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "Quota" })
      .click();
    await page.waitForURL("**/quota");
    await page.locator('[data-testid="quota-connection"][data-state="live"]').waitFor();
    const card = page.locator(`[data-testid="quota-chain"][data-chain="${CHAIN}"]`);
    const segment = (entry: string) =>
      card.locator(`[data-testid="quota-segment"][data-entry="${entry}"]`);
    // x/m1 is still cooling down from the step above: nothing left to serve.
    await segment("x/m1").and(page.locator('[data-status="cooling_down"]')).waitFor();
    expect(await segment("x/m1").getAttribute("data-remaining")).toBe("0");
    const order = await card
      .getByTestId("quota-segment")
      .evaluateAll((els) => els.map((el) => el.getAttribute("data-entry")));
    expect(order).toEqual(["x/m1", "x/m2"]);
    await page.evaluate(() => {
      (window as unknown as { e2eMarker: number }).e2eMarker = 2;
    });

    stack.upstream.setDefault(UPSTREAM_PATH, (req) => {
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
    expect((await chat()).entry).toBe("x/m2");
    await segment("x/m2").and(page.locator('[data-remaining="777"]')).waitFor({ timeout: 10_000 });
    expect(await page.evaluate(() => (window as unknown as { e2eMarker?: number }).e2eMarker)).toBe(
      2,
    );
    await card.getByTestId("quota-forecast").waitFor();
    expect(await card.getByTestId("quota-reset").allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining("x/m2")]),
    );
    await screenshot(page, "quota");
  });

  it("has a screenshot of the playground, users and audit pages", async () => {
    await page.goto("/playground");
    await page.getByRole("form", { name: "Playground" }).waitFor();
    const mode = page.getByTestId("playground-mode");
    const chainPicker = page.getByLabel("Chain", { exact: true });
    await mode.selectOption("embeddings");
    expect(await chainPicker.locator("option").allTextContents()).toEqual([EMBED_CHAIN]);
    // The Responses API, streamed through the gateway, on the seed chain (x/m1 is cooling down).
    await mode.selectOption("responses");
    await chainPicker.selectOption("seed");
    await page.getByLabel("Prompt").fill("Say hi");
    await page.getByRole("button", { name: "Send" }).click();
    await page
      .getByTestId("playground-tokens")
      .filter({ hasText: /^\d+ \/ \d+$/ })
      .waitFor();
    expect(await page.getByTestId("playground-answer").textContent()).toBe(
      "Hello from the fake upstream.",
    );
    expect(await page.getByTestId("playground-served-by").textContent()).toBe("seed/seed-model");
    await screenshot(page, "playground");
    await page.goto("/users");
    await page.getByTestId(`user-row-${VIEWER.email}`).waitFor();
    await screenshot(page, "users");
    await page.goto("/audit");
    expect(await page.locator("main").textContent()).toContain(ADMIN.email);
    await screenshot(page, "audit");
  });

  it("refuses a malformed page link with 400", async () => {
    for (const path of ["/requests?cursor=garbage", "/audit?before=garbage"]) {
      const res = await admin.request.get(path);
      expect(res.status(), path).toBe(400);
      expect(await res.text()).toMatch(/^Bad request: \?(cursor|before)=/);
    }
  });

  it("records a login's socket address, whatever X-Forwarded-For claims", async () => {
    const spoofing = await browser.newContext({
      baseURL: stack.admin.url,
      extraHTTPHeaders: {
        "x-forwarded-for": "203.0.113.99",
        "x-429chain-peer-address": "198.51.100.5",
      },
    });
    const s = await spoofing.newPage();
    await logIn(s, VIEWER.email, VIEWER.password);
    await spoofing.close();
    // The admin's session and this one: both from the test's own socket on 127.0.0.1.
    const sessions = await stack.db.db.select().from(adminSessions);
    expect(sessions.map((row) => row.ip)).toEqual(["127.0.0.1", "127.0.0.1"]);
  });

  it("refuses every write to a viewer, in the UI and when replayed by hand", async () => {
    const viewer = await newContext(browser, stack.admin.url);
    const v = await viewer.newPage();
    await logIn(v, VIEWER.email, VIEWER.password);
    expect(await v.getByTestId("current-role").textContent()).toBe("viewer");
    const before = await configTables();

    // The cooldown is still running (600 s): the viewer sees it but cannot clear it.
    await v.goto("/ratelimits");
    const m1 = v.locator('[data-testid="ratelimit-row"][data-entry="x/m1"]');
    await m1.waitFor();
    expect(await m1.getAttribute("data-status")).toBe("cooling_down");
    expect(await v.getByRole("button", { name: /Clear cooldown/ }).count()).toBe(0);

    // Every server action of the build, posted by hand with the viewer's cookie.
    const actions = builtWriteActions(CHAIN);
    expect(actions.map((a) => a.name)).toEqual(
      expect.arrayContaining([
        "clearCooldownAction",
        "createChainAction",
        "createKeyAction",
        "deleteProviderAction",
      ]),
    );
    for (const action of actions) {
      const input = action.name === "clearCooldownAction" ? { provider: "x", model: "m1" } : {};
      const res = await viewer.request.post(action.path, {
        headers: {
          "next-action": action.id,
          origin: stack.admin.url,
          accept: "text/x-component",
          "content-type": "text/plain;charset=UTF-8",
        },
        data: JSON.stringify([input]),
      });
      const body = await res.text();
      expect(body, `${action.name} replayed by a viewer`).toContain('"status":403');
      expect(body).toContain("Only admins may do this");
    }
    const playground = await viewer.request.post("/api/playground", {
      headers: { origin: stack.admin.url, "content-type": "application/json" },
      data: JSON.stringify({ chain: CHAIN, prompt: "viewer prompt" }),
    });
    expect(playground.status()).toBe(403);

    await v.reload();
    await m1.waitFor();
    expect(await m1.getAttribute("data-status")).toBe("cooling_down");
    expect(await configTables()).toEqual(before);

    // In the UI: no enabled control on any page that writes, where the admin has some.
    for (const path of [
      "/ratelimits",
      "/providers",
      "/providers/new",
      "/providers/x",
      "/chains",
      "/chains/new",
      `/chains/${CHAIN}`,
      "/keys",
      "/users",
      "/playground",
    ]) {
      await page.goto(path);
      await page.locator("main h1").first().waitFor();
      expect(await enabledControls(page), `admin's controls on ${path}`).not.toEqual([]);
      await v.goto(path);
      await v.locator("main h1, main [data-testid=forbidden]").first().waitFor();
      expect(await enabledControls(v), `enabled controls on ${path}`).toEqual([]);
    }
    await v.goto("/providers");
    expect(await v.getByTestId("add-provider").count()).toBe(0);
    await v.getByTestId("read-only-note").waitFor();
    await screenshot(v, "viewer-providers");
    await v.goto(`/chains/${CHAIN}`);
    expect(await v.getByTestId("entry-drag-handle").first().isDisabled()).toBe(true);
    await screenshot(v, "viewer-chain");
    await v.goto("/users");
    await v.getByTestId("forbidden").waitFor();
    expect(await v.getByRole("navigation", { name: "Main" }).textContent()).not.toContain("Users");
    await viewer.close();
  });

  it("without Redis (as the quickstart runs): Rate limits and Quota read the gateway's control API, and clear cooldown works there", async () => {
    const pair = await startControlledPair(stack);
    const context = await newContext(browser, pair.admin.url);
    try {
      const p = await context.newPage();
      p.on("console", (message) => {
        if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
      });
      await logIn(p, ADMIN.email, ADMIN.password);
      // x/m1 still answers 429: this gateway, with its state in its memory, cools it down.
      expect(await chatThroughGateway(pair.gateway.url, clientKey, CHAIN)).toEqual({
        entry: "x/m2",
        attempts: 2,
      });
      await p.goto("/ratelimits");
      await p.locator('[data-testid="ratelimit-connection"][data-state="live"]').waitFor();
      const m1 = p.locator('[data-testid="ratelimit-row"][data-entry="x/m1"]');
      await m1.and(p.locator('[data-status="cooling_down"]')).waitFor();
      await screenshot(p, "ratelimits-control-api");
      stack.upstream.setDefault(UPSTREAM_PATH, (req) =>
        completion((req.body as { model: string }).model, "served again"),
      );
      await m1.getByRole("button", { name: "Clear cooldown of x/m1" }).click();
      await m1.and(p.locator('[data-status="available"], [data-status="tracking"]')).waitFor();
      expect((await chatThroughGateway(pair.gateway.url, clientKey, CHAIN)).entry).toBe("x/m1");

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
    expect(cspViolations).toEqual([]);
  });
});

/**
 * The config and user tables as JSON rows, without what the request-log pipeline and reads
 * legitimately write meanwhile: logs, rollups, sessions and a key's last use.
 */
async function configTables(): Promise<Record<string, unknown[]>> {
  const all = await dumpTables(stack.db.db);
  const out: Record<string, unknown[]> = {};
  for (const [table, rows] of Object.entries(all)) {
    if (/^request_|_rollups$|^usage_totals$|^admin_sessions$/.test(table)) continue;
    out[table] = rows.map((row) => {
      const { last_used_at: _lastUsed, ...rest } = JSON.parse(row) as Record<string, unknown>;
      return rest;
    });
  }
  return out;
}
