import { type IncomingMessage, Server } from "node:http";
import { PEER_ADDRESS_HEADER } from "../../lib/client-address";

const INSTALLED = Symbol.for("429chain.admin.peer-address-stamp");

/**
 * Writes the socket's address into the request's PEER_ADDRESS_HEADER, replacing any value
 * the client sent. Next.js keeps a client's own X-Forwarded-For and only fills it with the
 * socket address when it is missing (`req.headers['x-forwarded-for'] ??= socket.remoteAddress`
 * in next/dist/server/base-server.js), so the header is the only trustworthy record of the peer.
 */
function stampPeerAddress(req: IncomingMessage): void {
  const address = req.socket?.remoteAddress;
  if (address) req.headers[PEER_ADDRESS_HEADER] = address;
  else delete req.headers[PEER_ADDRESS_HEADER];
}

/**
 * Stamps every request of every node:http server in this process before its listeners see
 * it. Next's server (`next start`, the standalone server.js, `next dev`) is created before
 * the app's code loads and exposes no hook of its own, so the one place that sees each
 * request first is the server's `emit("request")`. Idempotent.
 */
export function installPeerAddressStamp(): void {
  const proto = Server.prototype as Server & { [INSTALLED]?: true };
  if (proto[INSTALLED]) return;
  const emit = proto.emit as (this: Server, event: string | symbol, ...args: unknown[]) => boolean;
  proto.emit = function emitStamped(this: Server, event: string | symbol, ...args: unknown[]) {
    if (event === "request") stampPeerAddress(args[0] as IncomingMessage);
    return emit.call(this, event, ...args);
  } as Server["emit"];
  proto[INSTALLED] = true;
}
