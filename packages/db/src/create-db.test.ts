import { afterEach, describe, expect, it } from "vitest";
import { createDb, type DbHandle } from "./create-db";

describe("createDb with PGlite", () => {
  let handle: DbHandle | undefined;
  afterEach(async () => {
    await handle?.close();
    handle = undefined;
  });

  async function show(name: string): Promise<string | undefined> {
    if (handle?.driver !== "pglite") throw new Error("expected PGlite");
    const result = await handle.client.query<Record<string, string>>(`SHOW ${name}`);
    return result.rows[0]?.[name];
  }

  it("starts with the Postgres settings given, keeping PGlite's own", async () => {
    handle = await createDb({ dataDir: "memory://", settings: { shared_buffers: "16MB" } });
    expect(await show("shared_buffers")).toBe("16MB");
    // One of PGlite's default start parameters, still in force.
    expect(await show("max_worker_processes")).toBe("0");
  });
});
