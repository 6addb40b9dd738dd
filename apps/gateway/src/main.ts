import { readEnv } from "./env";
import { startGateway } from "./start-gateway";

/** Composition root: reads env once and starts the gateway (one process, or its workers). */
startGateway(readEnv()).catch((err: unknown) => {
  process.stderr.write(
    `429chain gateway failed to start: ${err instanceof Error ? err.message : String(err)}\n`,
  );
  process.exit(1);
});
