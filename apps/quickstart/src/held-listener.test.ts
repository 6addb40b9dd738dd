import { once } from "node:events";
import { connect, createServer, type Server, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type HeldListener, listenAndHold } from "./held-listener";

const open: Array<{ close(): unknown }> = [];

afterEach(async () => {
  for (const thing of open.splice(0).reverse()) await thing.close();
});

/** A loopback server that echoes, and counts the connections it got. */
async function echoServer(): Promise<{ port: number; connections: () => number }> {
  let connections = 0;
  const server: Server = createServer((socket) => {
    connections++;
    socket.pipe(socket);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  open.push({ close: () => new Promise((resolve) => server.close(resolve)) });
  return { port: (server.address() as { port: number }).port, connections: () => connections };
}

async function client(listener: HeldListener): Promise<Socket> {
  const socket = connect({ port: listener.port, host: "127.0.0.1" });
  await once(socket, "connect");
  open.push({ close: () => socket.destroy() });
  return socket;
}

async function hold(): Promise<HeldListener> {
  const listener = await listenAndHold(0, "EMBEDDED_DB_PORT");
  open.push(listener);
  return listener;
}

describe("listenAndHold", () => {
  it("accepts at once, holds what a client sends, and relays it once given the server", async () => {
    const echo = await echoServer();
    const listener = await hold();
    const socket = await client(listener);
    socket.write("startup message");
    expect(echo.connections()).toBe(0);

    listener.relayTo(echo.port);
    const [reply] = (await once(socket, "data")) as [Buffer];
    expect(reply.toString()).toBe("startup message");
    expect(echo.connections()).toBe(1);

    // Later connections go straight through.
    const later = await client(listener);
    later.write("query");
    const [answer] = (await once(later, "data")) as [Buffer];
    expect(answer.toString()).toBe("query");
  });

  it("drops every connection, held or relayed, when closed", async () => {
    const echo = await echoServer();
    const listener = await hold();
    const relayed = await client(listener);
    listener.relayTo(echo.port);
    relayed.write("x");
    await once(relayed, "data");
    const listener2 = await hold();
    const held = await client(listener2);

    const closed = Promise.all([once(relayed, "close"), once(held, "close")]);
    await Promise.all([listener.close(), listener2.close()]);
    await closed;
  });

  it("names the variable to change when the port is taken", async () => {
    const listener = await hold();
    await expect(listenAndHold(listener.port, "EMBEDDED_DB_PORT")).rejects.toThrow(
      `port ${listener.port} on 127.0.0.1 is already in use: stop what listens there or set EMBEDDED_DB_PORT`,
    );
  });
});
