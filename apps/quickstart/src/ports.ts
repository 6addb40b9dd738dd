import { createServer } from "node:net";

/** "port 3429 on 127.0.0.1 is already in use …" instead of a bare EADDRINUSE. */
export function listenError(err: unknown, port: number | undefined, variable: string): string {
  if ((err as NodeJS.ErrnoException).code === "EADDRINUSE") {
    return `port ${port} on 127.0.0.1 is already in use: stop what listens there or set ${variable}`;
  }
  return err instanceof Error ? err.message : String(err);
}

/** Fails before anything starts when a port the stack needs is taken. */
export async function assertPortFree(port: number, variable: string): Promise<void> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", (err) => reject(new Error(listenError(err, port, variable))));
    server.listen({ port, host: "127.0.0.1", exclusive: true }, () =>
      server.close(() => resolve()),
    );
  });
}
