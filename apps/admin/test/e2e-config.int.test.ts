/**
 * The admin console end to end in Debian's chromium (playwright-core), part one: the config
 * built through the pages (providers, chains, a client key) and the gateway serving it. A
 * production `next start`, Postgres, Redis, a worker, a gateway replica in DB mode and the fake
 * upstream (e2e-session.ts). Screenshots go to apps/admin/test/artifacts/. The steps share one
 * browser session and run in order; e2e-observe and e2e-access start from the config they leave.
 */
import { listChains } from "@429chain/db";
import { describe, expect, it } from "vitest";
import { logIn, screenshot } from "./browser";
import { CHAIN, EMBED_CHAIN, UPSTREAM_PATH, useE2eSession } from "./e2e-session";
import { ADMIN } from "./e2e-stack";
import { dragEntry, editorEntries } from "./page-helpers";

const s = useE2eSession({ label: "admin_e2e_config", configured: false });

// Each step drives pages and waits on other processes; on two busy cores that can take a while.
describe("admin console in a real browser: configuring", { timeout: 120_000 }, () => {
  it("logs in as the admin", async () => {
    const login = await s.page.goto("/login");
    const headers = login!.headers();
    expect(headers["content-security-policy"]).toMatch(/frame-ancestors 'none'/);
    expect(headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[^']+'/);
    expect(headers["x-frame-options"]).toBe("DENY");
    await s.page.goto("/dashboard");
    await s.page.waitForURL("**/login");
    await screenshot(s.page, "login");
    await s.page.getByLabel("Email").fill(ADMIN.email);
    await s.page.getByLabel("Password").fill("not the password");
    await s.page.getByRole("button", { name: "Log in" }).click();
    await s.page.getByText("Wrong email or password.").waitFor();
    await logIn(s.page, ADMIN.email, ADMIN.password);
    expect(await s.page.getByTestId("current-role").textContent()).toBe("admin");
  });

  it("adds a provider on the fake upstream", async () => {
    await s.page.goto("/providers");
    await s.page.getByTestId("add-provider").click();
    await s.page.getByLabel("Provider ID").fill("x");
    await s.page.getByLabel("Display name").fill("Fake X");
    await s.page.getByLabel("Type").selectOption("generic-openai");
    await s.page.getByLabel("Base URL").fill(`${s.stack.upstream.url}/x`);
    await s.page.locator("#provider-apiKey").fill("sk-up-x-secret-0001");
    await s.page.getByRole("button", { name: "Add header" }).click();
    await s.page.getByLabel("Header 1 name").fill("X-Api-Key");
    await s.page.getByLabel("Header 1 value").fill("hdr-up-x-secret-0002");
    await s.page.getByTestId("provider-save").click();
    await s.page.waitForURL("**/providers/x?saved=*");
    // A credential header is write-only like the key: masked, never in the s.page.
    const header = s.page.getByTestId("provider-masked-header");
    expect(await header.getAttribute("placeholder")).toMatch(/^••••0002 /);
    expect(await header.inputValue()).toBe("");
    expect(await s.page.content()).not.toContain("hdr-up-x-secret-0002");
    await s.page.goto("/providers");
    const row = s.page.locator('[data-testid="provider-row"][data-provider="x"]');
    await row.waitFor();
    expect(await row.textContent()).toContain(`${s.stack.upstream.url}/x`);
    // The key is write-only: the page never carries it.
    expect(await s.page.content()).not.toContain("sk-up-x-secret-0001");
    await screenshot(s.page, "providers");
  });

  it("creates a chain with two entries", async () => {
    await s.page.goto("/chains/new");
    await s.page.getByLabel("Chain name").fill(CHAIN);
    await s.page.getByTestId("add-chain-entry").click();
    await s.page.getByTestId("add-chain-entry").click();
    await s.page.getByLabel("Entry 1 provider").selectOption("x");
    await s.page.getByLabel("Entry 1 model").fill("m2");
    await s.page.getByLabel("Entry 2 provider").selectOption("x");
    await s.page.getByLabel("Entry 2 model").fill("m1");
    expect(await s.page.getByTestId("chain-kind").inputValue()).toBe("chat");
    expect(await s.page.getByTestId("chain-dimensions").count()).toBe(0);
    await s.page.getByTestId("chain-save").click();
    await s.page.waitForURL(`**/chains/${CHAIN}?saved=*`);
    expect(await editorEntries(s.page)).toEqual(["x/m2", "x/m1"]);
    expect(await s.storedOrder()).toEqual(["x/m2", "x/m1"]);
    expect(await s.page.getByTestId("chain-kind-badge").textContent()).toBe("chat");
  });

  it("sets a chat chain's conversation affinity, shows it on the page and the list, and clears it", async () => {
    const stored = async () =>
      (await listChains(s.stack.db.db)).chains.find((c) => c.name === CHAIN)?.affinity;
    await s.page.goto(`/chains/${CHAIN}`);
    expect(await s.page.getByTestId("chain-affinity").inputValue()).toBe("");
    await s.page.getByTestId("chain-affinity").selectOption("conversation");
    await s.page.getByTestId("chain-save").click();
    await s.page.getByTestId("chain-save-status").waitFor();
    expect(await stored()).toBe("conversation");
    await s.page.getByTestId("chain-affinity-badge").waitFor();
    await s.page.goto("/chains");
    const row = s.page.locator(`[data-testid="chain-row"][data-chain="${CHAIN}"]`);
    expect(await row.getByTestId("chain-affinity-badge").textContent()).toBe(
      "conversation affinity",
    );
    // Cleared again: the later steps watch the chain's order pick the serving entry.
    await s.page.goto(`/chains/${CHAIN}`);
    expect(await s.page.getByTestId("chain-affinity").inputValue()).toBe("conversation");
    await s.page.getByTestId("chain-affinity").selectOption("");
    await s.page.getByTestId("chain-save").click();
    await s.page.getByTestId("chain-save-status").waitFor();
    expect(await stored()).toBeNull();
    await s.page.getByTestId("chain-affinity-badge").waitFor({ state: "detached" });
  });

  it("creates an embeddings chain with its dimensions; the chain list shows both", async () => {
    await s.page.goto("/chains/new");
    await s.page.getByLabel("Chain name").fill(EMBED_CHAIN);
    await s.page.getByTestId("chain-kind").selectOption("embeddings");
    expect(await s.page.getByTestId("chain-affinity").count()).toBe(0);
    await s.page.getByTestId("chain-dimensions").fill("8");
    await s.page.getByTestId("add-chain-entry").click();
    await s.page.getByLabel("Entry 1 provider").selectOption("x");
    await s.page.getByLabel("Entry 1 model").fill("emb");
    await s.page.getByTestId("chain-save").click();
    await s.page.waitForURL(`**/chains/${EMBED_CHAIN}?saved=*`);
    expect(await s.page.getByTestId("chain-dimensions").inputValue()).toBe("8");
    const { chains } = await listChains(s.stack.db.db);
    expect(chains.find((c) => c.name === EMBED_CHAIN)).toMatchObject({
      kind: "embeddings",
      dimensions: 8,
    });
    await s.page.goto("/chains");
    const row = s.page.locator(`[data-testid="chain-row"][data-chain="${EMBED_CHAIN}"]`);
    expect(await row.getByTestId("chain-kind-badge").textContent()).toBe(
      "embeddings · 8 dimensions",
    );
  });

  it("creates a client key and uses it with the openai SDK on the new chain", async () => {
    await s.page.goto("/keys");
    const form = s.page.getByRole("form", { name: "Create a key" });
    await form.getByLabel("Name").fill("e2e-client");
    await form.getByLabel("Requests per minute").fill("1000");
    await form.getByRole("button", { name: "Create key" }).click();
    s.clientKey = (await s.page.getByTestId("new-key-secret").textContent()) ?? "";
    expect(s.clientKey).toMatch(/^sk-429-/);
    await screenshot(s.page, "keys");
    // Shown once: a fresh load of the page lists the key by prefix only.
    await s.page.reload();
    await s.page.getByText("e2e-client").first().waitFor();
    expect(await s.page.content()).not.toContain(s.clientKey);
    await s.waitForServedBy("x/m2");
    const served = await s.chat();
    expect(served).toEqual({ entry: "x/m2", attempts: 1 });
    // The gateway decrypted the credential header the console stored.
    expect(s.stack.upstream.requests(UPSTREAM_PATH).at(-1)?.headers["x-api-key"]).toBe(
      "hdr-up-x-secret-0002",
    );
  });

  it("reorders the chain by drag-and-drop and the gateway serves the new order", async () => {
    await s.page.goto(`/chains/${CHAIN}`);
    const timings: number[] = [];
    // Three saves (m1 first, m2 first, m1 first); each is timed from the click on Save to
    // the first gateway answer served by the new first entry.
    for (const first of ["x/m1", "x/m2", "x/m1"]) {
      await dragEntry(s.page, 1, 0);
      const expected = first === "x/m1" ? ["x/m1", "x/m2"] : ["x/m2", "x/m1"];
      expect(await editorEntries(s.page)).toEqual(expected);
      const t0 = performance.now();
      await s.page.getByTestId("chain-save").click();
      await s.waitForServedBy(first);
      timings.push(performance.now() - t0);
      await s.page.getByTestId("chain-save-status").waitFor();
      expect(await s.storedOrder()).toEqual(expected);
    }
    console.log(
      `figure (a) chain save in the browser → gateway serves the new order: ${timings
        .map((t) => `${t.toFixed(0)} ms`)
        .join(", ")}`,
    );
    await s.page.reload();
    expect(await editorEntries(s.page)).toEqual(["x/m1", "x/m2"]);
    await s.page.goto("/chains");
    await screenshot(s.page, "chains");
  });

  it("ran every page without a Content-Security-Policy violation", () => {
    expect(s.cspViolations).toEqual([]);
  });
});
