import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { startAppProcess } from "./app-process";

const READY_SERVER = fileURLToPath(new URL("fixtures/ready-server.ts", import.meta.url));

describe("startAppProcess", () => {
  it("starts on a free port with the env, waits for /ready and stops with SIGTERM", async () => {
    const proc = await startAppProcess({
      env: { MARKER: "m1", EXIT_CODE: "7" },
      cwd: tmpdir(),
      entry: READY_SERVER,
    });
    const res = await fetch(proc.url);
    expect(await res.json()).toEqual({ marker: "m1", cwd: tmpdir() });
    expect(proc.url).toBe(`http://127.0.0.1:${proc.port}`);
    expect(await proc.stop()).toBe(7);
    expect(proc.output()).toContain(`fixture listening on ${proc.port}`);
  });

  it("fails fast with the captured output when the process exits before ready", async () => {
    const entry = fileURLToPath(new URL("fixtures/exits-early.ts", import.meta.url));
    await expect(startAppProcess({ env: {}, entry })).rejects.toThrow(
      /exited early \(code 3[\s\S]*about to exit/,
    );
  });
});
