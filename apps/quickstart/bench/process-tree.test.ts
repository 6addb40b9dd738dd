import { spawn } from "node:child_process";
import { once } from "node:events";
import { describe, expect, it } from "vitest";
import { processTree, totalRssMb } from "./process-tree";

describe("processTree", () => {
  it("finds every descendant, grandchildren in their own process group included", async () => {
    // A shell that starts a grandchild in a session of its own, which prints its pid once it
    // runs (the trailing `:` keeps sh from exec-ing sleep in its place).
    const child = spawn("sh", ["-c", "setsid sh -c 'echo $$; sleep 30; :' & wait"], {
      stdio: ["ignore", "pipe", "ignore"],
    });
    let grandchild = -1;
    try {
      const [chunk] = (await once(child.stdout, "data")) as [Buffer];
      grandchild = Number(chunk.toString().trim());
      const tree = processTree(process.pid);
      const shell = tree.find((p) => p.pid === child.pid);
      expect(shell).toMatchObject({ parent: process.pid });
      const sleeper = tree.find((p) => p.pid === grandchild);
      expect(sleeper?.command).toBe("sh -c echo $$; sleep 30; :");
      expect(sleeper?.parent).toBe(child.pid);
      expect(totalRssMb(tree)).toBeGreaterThan(totalRssMb(tree.slice(1)));
      // This process has run the test so far: some CPU time.
      expect(tree[0]?.cpuMs).toBeGreaterThan(0);
    } finally {
      // The grandchild leads its own group: kill it with its sleep.
      if (grandchild > 0) process.kill(-grandchild, "SIGKILL");
      child.kill("SIGKILL");
    }
  });

  it("is empty for a process that does not exist", () => {
    expect(processTree(2 ** 22 + 1)).toEqual([]);
  });
});
