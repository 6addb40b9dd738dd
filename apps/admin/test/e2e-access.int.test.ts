/**
 * The admin console end to end in Debian's chromium, part three: what a request may do. Bad
 * page links, the address a login records, and a viewer refused every write in the UI and when
 * replaying server actions by hand. Starts from the config that e2e-config.int.test.ts builds
 * in the browser (e2e-session.ts stores it directly), with x/m1 cooling down.
 */
import { adminSessions } from "@429chain/db";
import { dumpTables } from "@429chain/db/testing";
import { completion, openaiRateLimited } from "@429chain/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { logIn, newContext, screenshot } from "./browser";
import { CHAIN, UPSTREAM_PATH, useE2eSession } from "./e2e-session";
import { VIEWER } from "./e2e-stack";
import { enabledControls } from "./page-helpers";
import { builtWriteActions } from "./server-actions";

const s = useE2eSession({ label: "admin_e2e_access", configured: true });

// x/m1 answers 429 with a 600 s Retry-After: a cooldown for the viewer to see and not clear.
beforeAll(async () => {
  s.stack.upstream.setDefault(UPSTREAM_PATH, (req) => {
    const model = (req.body as { model: string }).model;
    return model === "m1"
      ? openaiRateLimited({ retryAfterS: 600 })
      : completion(model, "served after a 429");
  });
  const served = await s.chat();
  if (served.entry !== "x/m2" || served.attempts !== 2) {
    throw new Error(`expected x/m2 after a 429 from x/m1, got ${JSON.stringify(served)}`);
  }
}, 60_000);

// Each step drives pages and waits on other processes; on two busy cores that can take a while.
describe("admin console in a real browser: access", { timeout: 120_000 }, () => {
  it("refuses a malformed page link with 400", async () => {
    for (const path of ["/requests?cursor=garbage", "/audit?before=garbage"]) {
      const res = await s.admin.request.get(path);
      expect(res.status(), path).toBe(400);
      expect(await res.text()).toMatch(/^Bad request: \?(cursor|before)=/);
    }
  });

  it("records a login's socket address, whatever X-Forwarded-For claims", async () => {
    const spoofing = await s.browser.newContext({
      baseURL: s.stack.admin.url,
      extraHTTPHeaders: {
        "x-forwarded-for": "203.0.113.99",
        "x-429chain-peer-address": "198.51.100.5",
      },
    });
    const spoofed = await spoofing.newPage();
    await logIn(spoofed, VIEWER.email, VIEWER.password);
    await spoofing.close();
    // The admin's session and this one: both from the test's own socket on 127.0.0.1.
    const sessions = await s.stack.db.db.select().from(adminSessions);
    expect(sessions.map((row) => row.ip)).toEqual(["127.0.0.1", "127.0.0.1"]);
  });

  it("refuses every write to a viewer, in the UI and when replayed by hand", async () => {
    const viewer = await newContext(s.browser, s.stack.admin.url);
    const v = await viewer.newPage();
    await logIn(v, VIEWER.email, VIEWER.password);
    expect(await v.getByTestId("current-role").textContent()).toBe("viewer");
    const before = await configTables();

    // The cooldown from beforeAll is still running (600 s): the viewer sees it but cannot clear it.
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
          origin: s.stack.admin.url,
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
      headers: { origin: s.stack.admin.url, "content-type": "application/json" },
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
      await s.page.goto(path);
      await s.page.locator("main h1").first().waitFor();
      expect(await enabledControls(s.page), `admin's controls on ${path}`).not.toEqual([]);
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

  it("ran every page without a Content-Security-Policy violation", () => {
    expect(s.cspViolations).toEqual([]);
  });
});

/**
 * The config and user tables as JSON rows, without what the request-log pipeline and reads
 * legitimately write meanwhile: logs, rollups, sessions and a key's last use.
 */
async function configTables(): Promise<Record<string, unknown[]>> {
  const all = await dumpTables(s.stack.db.db);
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
