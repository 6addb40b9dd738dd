import { connect, createServer, type Socket } from "node:net";
import { listenError } from "./ports";

export interface HeldListener {
  port: number;
  /** From now on every connection, held ones first, is relayed to this loopback port. */
  relayTo(port: number): void;
  /** Stops listening and drops every connection. */
  close(): Promise<void>;
}

/**
 * Listens on a loopback port at once and holds the connections it accepts, unread, until
 * `relayTo` names the server that will answer them: clients can be started, and connect,
 * before that server is ready. `variable` names the setting to change if the port is taken.
 */
export async function listenAndHold(port: number, variable: string): Promise<HeldListener> {
  const held: Socket[] = [];
  const open = new Set<Socket>();
  let target: number | undefined;
  const relay = (socket: Socket, to: number) => {
    const upstream = connect({ port: to, host: "127.0.0.1" });
    open.add(upstream);
    upstream.on("close", () => {
      open.delete(upstream);
      socket.destroy();
    });
    socket.on("close", () => upstream.destroy());
    upstream.on("error", () => socket.destroy());
    socket.pipe(upstream).pipe(socket);
  };
  const server = createServer({ pauseOnConnect: true }, (socket) => {
    open.add(socket);
    socket.on("close", () => open.delete(socket));
    // A client gone while held: nothing to relay, and no unhandled 'error'.
    socket.on("error", () => socket.destroy());
    if (target === undefined) held.push(socket);
    else relay(socket, target);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (err) => reject(new Error(listenError(err, port, variable))));
    server.listen({ port, host: "127.0.0.1", exclusive: true }, resolve);
  });
  const bound = (server.address() as { port: number }).port;
  return {
    port: bound,
    relayTo(to) {
      target = to;
      for (const socket of held.splice(0)) relay(socket, to);
    },
    async close() {
      const closed = new Promise((resolve) => server.close(resolve));
      for (const socket of open) socket.destroy();
      await closed;
    },
  };
}
