/**
 * What the admin console's browser tests share: one stack (startE2eStack), one Chromium and
 * the admin's browser session, the chains they drive, and the gateway client that counts what
 * it was served. Each e2e-*.int.test.ts file calls useE2eSession once at its top.
 */
import { createClientKey, listChains } from "@429chain/db";
import { waitFor } from "@429chain/testing";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { launchChromium, logIn, newContext } from "./browser";
import { ADMIN, type E2eStack, type ExtraConfig, startE2eStack } from "./e2e-stack";
import { chatThroughGateway, type Served } from "./gateway-client";

export const CHAIN = "e2e";
export const EMBED_CHAIN = "e2e-embed";
export const UPSTREAM_PATH = "/x/chat/completions";

/** The provider header e2e-config adds in the browser; the gateway must send it upstream. */
export const UPSTREAM_HEADER_SECRET = "hdr-up-x-secret-0002";

/**
 * The config e2e-config.int.test.ts builds through the browser, as it stands after that
 * file's steps: the files that test other pages start from it.
 */
function configuredInTheBrowser(upstreamUrl: string): ExtraConfig {
  return {
    providers: [
      {
        id: "x",
        name: "Fake X",
        type: "generic-openai",
        apiKey: "sk-up-x-secret-0001",
        baseUrl: `${upstreamUrl}/x`,
        headers: { "X-Api-Key": UPSTREAM_HEADER_SECRET },
      },
    ],
    chains: [
      {
        name: CHAIN,
        entries: [
          { provider: "x", model: "m1" },
          { provider: "x", model: "m2" },
        ],
      },
      {
        name: EMBED_CHAIN,
        kind: "embeddings",
        dimensions: 8,
        entries: [{ provider: "x", model: "emb" }],
      },
    ],
  };
}

export interface E2eSession {
  stack: E2eStack;
  browser: Browser;
  /** The admin's browser context and its page. */
  admin: BrowserContext;
  page: Page;
  /** The client key the steps call the gateway with ("" until e2e-config creates it). */
  clientKey: string;
  /** Content-Security-Policy violations Chromium reported on any page of the session. */
  cspViolations: string[];
  /** Requests the gateway served on the e2e chain; the dashboard counts at least these. */
  servedCount: number;
  /** Collects the CSP violations a page reports into cspViolations. */
  watchCsp(page: Page): void;
  chat(): Promise<Served>;
  /** Waits until the gateway serves the chain from `entry` (its config arrives by pub/sub). */
  waitForServedBy(entry: string): Promise<void>;
  /** The e2e chain's entries as stored, in order. */
  storedOrder(): Promise<string[]>;
}

export interface E2eSessionOptions {
  /** The stack's database name. */
  label: string;
  /**
   * Start from the config, the client key and the admin's login that e2e-config makes in the
   * browser. Without it the session starts from the seed and logged out.
   */
  configured: boolean;
}

/** Registers the beforeAll/afterAll that start and stop the session; fields fill in beforeAll. */
export function useE2eSession(options: E2eSessionOptions): E2eSession {
  const session = {
    clientKey: "",
    cspViolations: [] as string[],
    servedCount: 0,
    watchCsp(page: Page) {
      page.on("console", (message) => {
        if (/Content Security Policy/i.test(message.text())) {
          session.cspViolations.push(message.text());
        }
      });
    },
    async chat() {
      const served = await chatThroughGateway(session.stack.gateway.url, session.clientKey, CHAIN);
      session.servedCount++;
      return served;
    },
    async waitForServedBy(entry: string) {
      await waitFor(async () => (await session.chat()).entry === entry, {
        timeoutMs: 10_000,
        intervalMs: 5,
        description: `the gateway serving ${CHAIN} from ${entry}`,
      });
    },
    async storedOrder() {
      const { chains } = await listChains(session.stack.db.db);
      return (
        chains.find((c) => c.name === CHAIN)?.entries.map((e) => `${e.provider}/${e.model}`) ?? []
      );
    },
  } as E2eSession;

  beforeAll(async () => {
    session.stack = await startE2eStack(
      options.label,
      options.configured
        ? {
            extraConfig: configuredInTheBrowser,
            async prepare(db) {
              const input = { name: "e2e-client", rpm: 1000 };
              session.clientKey = (await createClientKey(db.db, input, "e2e")).key;
            },
          }
        : {},
    );
    session.browser = await launchChromium();
    session.admin = await newContext(session.browser, session.stack.admin.url);
    session.page = await session.admin.newPage();
    session.watchCsp(session.page);
    if (options.configured) await logIn(session.page, ADMIN.email, ADMIN.password);
  }, 900_000);

  afterAll(async () => {
    await session.browser?.close();
    await session.stack?.stop();
  }, 60_000);

  return session;
}
