import { setFlagsFromString } from "node:v8";
import { displayPath } from "./data-dir";
import { describeError } from "./describe-error";
import { readEnv } from "./env";
import { ADMIN_EMAIL } from "./first-run";
import { type ReadyStack, startStack } from "./start-stack";
import { Supervisor } from "./supervisor";

// `npm start | tee log` and Ctrl-C: tee dies first, and a write to the closed pipe must not
// crash the launcher before it has stopped the children and closed the database.
process.stdout.on("error", () => {});
// PGlite's 9 MB WebAssembly module compiled by Liftoff alone (set before it is loaded): V8's
// optimising tier would add about 50 MB of machine code to this process for queries that a
// laptop's traffic hardly notices.
setFlagsFromString("--liftoff-only");
const say = (line: string) => process.stdout.write(`[quickstart] ${line}\n`);
const write = (line: string) => process.stdout.write(`${line}\n`);

/**
 * `npm start`: the whole product on this machine. Composition root: reads env once, starts
 * the stack, stops it in reverse order on Ctrl-C/SIGTERM or when any process of it dies.
 */
async function main(): Promise<number> {
  const env = readEnv();
  const startedAt = Date.now();
  const stop = new AbortController();
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    // Kept installed while stopping: a repeated signal (npm relays the one the terminal sent
    // the whole group) must not kill the launcher before PGlite is closed.
    process.on(signal, () => {
      if (stop.signal.aborted) return;
      say(`${signal}: stopping`);
      stop.abort(new Error(signal));
    });
  }
  const supervisor = new Supervisor(write, env.STOP_TIMEOUT_MS);
  // Runs on process.exit and after an uncaught exception alike, so no child outlives us.
  process.on("exit", () => supervisor.killRemaining());
  const signal = AbortSignal.any([stop.signal, supervisor.failed]);
  let failure: string | undefined;
  try {
    const stack = await startStack({ env, supervisor, signal, say });
    printReady(stack, Date.now() - startedAt);
    await new Promise((resolve) => signal.addEventListener("abort", resolve, { once: true }));
  } catch (err) {
    if (!signal.aborted) failure = describeError(err);
  }
  if (supervisor.failed.aborted) failure = describeError(supervisor.failed.reason);
  if (failure) say(`error: ${failure}; stopping everything`);
  const clean = await supervisor.closeAll();
  say(clean ? "stopped" : "stopped, with errors");
  return failure || !clean ? 1 : 0;
}

function printReady(stack: ReadyStack, ms: number): void {
  const lines = [
    `ready in ${(ms / 1000).toFixed(1)} s`,
    `  gateway  ${stack.gatewayUrl}  (OpenAI base URL ${stack.gatewayUrl}/v1)`,
  ];
  if (stack.adminUrl) lines.push(`  admin    ${stack.adminUrl}`);
  const password = stack.firstRun.adminPassword;
  if (password) {
    lines.push(`  login    ${ADMIN_EMAIL}  password ${password}`);
    lines.push(`           (also saved in ${displayPath(stack.dataDir.adminPassword)})`);
  } else {
    lines.push(
      `  login    ${ADMIN_EMAIL}, first password in ${displayPath(stack.dataDir.adminPassword)}`,
    );
  }
  if (stack.firstRun.importedFrom?.endsWith("config.example.yaml")) {
    lines.push("  the example config was imported: put real provider keys in through the admin");
  }
  if (stack.embedded) {
    lines.push(
      `  database ${stack.databaseUrl} (embedded, data in ${displayPath(stack.dataDir.root)})`,
    );
  }
  lines.push("Ctrl-C stops everything.");
  for (const line of lines) say(line);
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    say(`failed to start: ${describeError(err)}`);
    process.exit(1);
  },
);
