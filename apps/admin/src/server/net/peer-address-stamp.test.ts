import { createServer, request as httpRequest, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { PEER_ADDRESS_HEADER } from "../../lib/client-address";
import { installPeerAddressStamp } from "./peer-address-stamp";

/** One GET with `headers` to a fresh server on 127.0.0.1; what its handler saw. */
async function headersSeen(headers: Record<string, string>): Promise<IncomingHttpHeaders> {
  let seen: IncomingHttpHeaders = {};
  const server = createServer((req, res) => {
    seen = req.headers;
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  try {
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest({ host: "127.0.0.1", port, headers }, (res) => {
        res.resume();
        res.on("end", resolve);
      });
      req.on("error", reject);
      req.end();
    });
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
  return seen;
}

describe("installPeerAddressStamp", () => {
  it("writes the socket's address over anything the client sent under that name", async () => {
    installPeerAddressStamp();
    installPeerAddressStamp(); // twice is once
    const seen = await headersSeen({
      [PEER_ADDRESS_HEADER]: "198.51.100.66",
      "x-forwarded-for": "198.51.100.77",
    });
    expect(seen[PEER_ADDRESS_HEADER]).toBe("127.0.0.1");
    // X-Forwarded-For is left alone: whether it counts is the trust list's decision.
    expect(seen["x-forwarded-for"]).toBe("198.51.100.77");
  });
});
