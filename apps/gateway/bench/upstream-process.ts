import { setMaxListeners } from "node:events";
import { completion, type FakeUpstream, startFakeUpstream, streamed } from "@429chain/testing";
import { chatPath, LONG_STREAM_FRAME_DELAY_MS, LONG_STREAM_TEXTS, MOCK } from "./mock-routes";

// The fake records every request it receives; forgetting the log often keeps the mock's memory
// flat over a long benchmark.
const FORGET_EVERY_MS = 100;
// Stops by itself even if the parent never closes stdin.
const MAX_LIFETIME_MS = 60 * 60_000;

function program(upstream: FakeUpstream): void {
  upstream.setDefault(chatPath(MOCK.fast), completion("m", "Hello from the bench mock."));
  upstream.setDefault(chatPath(MOCK.short), streamed("m", ["Hello", " from", " the", " mock."]));
  const texts = Array.from({ length: LONG_STREAM_TEXTS }, (_, i) => ` token${i}`);
  upstream.setDefault(
    chatPath(MOCK.long),
    streamed("m", texts, { frameDelayMs: LONG_STREAM_FRAME_DELAY_MS }),
  );
  upstream.setDefault(chatPath(MOCK.fail), {
    status: 500,
    body: { error: { message: "bench: this entry always fails", type: "server_error" } },
  });
}

async function main(): Promise<void> {
  // Every paused stream frame listens on the fake's one closing signal: 1,000 streams at once.
  setMaxListeners(5_000);
  const upstream = await startFakeUpstream();
  program(upstream);
  // reset() and program() run in one tick, so no request ever sees an unprogrammed path.
  const forget = setInterval(() => {
    upstream.reset();
    program(upstream);
  }, FORGET_EVERY_MS);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    clearInterval(forget);
    await upstream.close();
    process.exit(0);
  };
  setTimeout(stop, MAX_LIFETIME_MS).unref();
  process.stdin.on("end", stop);
  process.stdin.on("close", stop);
  process.stdin.resume();
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  process.stdout.write(`${JSON.stringify({ url: upstream.url })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench upstream failed: ${err instanceof Error ? err.message : err}\n`);
  process.exit(1);
});
