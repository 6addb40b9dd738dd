import { tmpdir } from "node:os";
import { describe, expect, it } from "vitest";
import { Supervisor } from "./supervisor";

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("Supervisor.closeAll", () => {
  it("stops every process before closing the rest, even one started before the database", async () => {
    const supervisor = new Supervisor(() => {}, 5_000);
    const closed: string[] = [];
    supervisor.onClose("lock", () => {
      closed.push("lock");
    });
    const admin = supervisor.run({
      name: "admin",
      command: "sleep",
      args: ["30"],
      cwd: tmpdir(),
      env: {},
    });
    supervisor.onClose("database", () => {
      closed.push(`database (admin running: ${groupAlive(admin.pid)})`);
    });

    expect(await supervisor.closeAll()).toBe(true);
    expect(closed).toEqual(["database (admin running: false)", "lock"]);
    expect(groupAlive(admin.pid)).toBe(false);
  });
});
