import { describe, expect, it } from "vitest";
import { Waiter } from "./queue-waiter";

const far = () => Date.now() + 60_000;

describe("Waiter", () => {
  it("wakes on a message, its timer, its deadline or the client leaving", async () => {
    const signal = new AbortController().signal;
    const w = new Waiter("chain:c");
    const woken = w.wait({ signal, timerAt: undefined, giveUpAt: far() });
    w.wake("run");
    expect(await woken).toBe("run");
    expect(await w.wait({ signal, timerAt: Date.now() + 10, giveUpAt: far() })).toBe("timer");
    expect(await w.wait({ signal, timerAt: far(), giveUpAt: Date.now() + 10 })).toBe("deadline");
    const client = new AbortController();
    const gone = w.wait({ signal: client.signal, timerAt: undefined, giveUpAt: far() });
    client.abort();
    expect(await gone).toBe("gone");
  });

  it("keeps a wake-up that came while it was running, a run over a head, a release over both", async () => {
    const signal = new AbortController().signal;
    const w = new Waiter("chain:c");
    w.wake("head");
    w.wake("run");
    expect(await w.wait({ signal, timerAt: undefined, giveUpAt: far() })).toBe("run");
    w.wake("run");
    w.wake("head");
    expect(await w.wait({ signal, timerAt: undefined, giveUpAt: far() })).toBe("run");
    w.wake("released");
    w.wake("run");
    expect(await w.wait({ signal, timerAt: undefined, giveUpAt: far() })).toBe("released");
  });
});
