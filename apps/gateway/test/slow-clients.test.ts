import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseConfig, startTestGateway, TEST_KEY, type TestGateway } from "./harness";

// Short deadlines so the test is quick; the bound each case waits for is far above them.
const HEADERS_MS = 300;
const BODY_MS = 600;
const KEEP_ALIVE_MS = 300;
const BOUND_MS = 5_000;

let gw: TestGateway;
beforeAll(async () => {
  const config = baseConfig({
    providers: [
      { id: "a", name: "A", type: "openai", apiKey: "ka", baseUrl: "http://127.0.0.1:9/a" },
    ],
    chains: [{ name: "a", entries: [{ provider: "a", model: "m" }] }],
  });
  gw = await startTestGateway(config, {
    env: {
      HEADERS_TIMEOUT_MS: String(HEADERS_MS),
      REQUEST_BODY_TIMEOUT_MS: String(BODY_MS),
      KEEP_ALIVE_TIMEOUT_MS: String(KEEP_ALIVE_MS),
    },
  });
});
afterAll(async () => {
  await gw?.close();
});

/** A raw connection to the gateway; `closed` resolves with what it was sent before closing. */
function open(): Promise<{ socket: Socket; closed: Promise<string> }> {
  const { port } = new URL(gw.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), "127.0.0.1", () => {
      let received = "";
      socket.on("data", (chunk) => {
        received += chunk.toString("utf8");
      });
      const closed = new Promise<string>((done) => socket.on("close", () => done(received)));
      resolve({ socket, closed });
    });
    socket.on("error", reject);
  });
}

const within = <T>(p: Promise<T>) =>
  Promise.race([
    p,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`still open after ${BOUND_MS} ms`)), BOUND_MS),
    ),
  ]);

describe("slow or idle clients hold no socket past their deadline", () => {
  it("cuts off a client that never finishes its headers", async () => {
    const { socket, closed } = await open();
    socket.write("POST /v1/chat/completions HTTP/1.1\r\nHost: gw\r\n");
    const answer = await within(closed);
    // Node answers 408 when it can, else just closes; never a served request.
    expect(answer === "" || answer.startsWith("HTTP/1.1 408")).toBe(true);
  });

  it("cuts off a client that sends its headers and never the whole body", async () => {
    const { socket, closed } = await open();
    socket.write(
      "POST /v1/chat/completions HTTP/1.1\r\nHost: gw\r\n" +
        `Authorization: Bearer ${TEST_KEY}\r\nContent-Type: application/json\r\n` +
        "Content-Length: 1000\r\n\r\n" +
        '{"model":',
    );
    const answer = await within(closed);
    expect(answer === "" || answer.startsWith("HTTP/1.1 408")).toBe(true);
  });

  it("closes an idle keep-alive connection after the request it served", async () => {
    const { socket, closed } = await open();
    socket.write("GET /health HTTP/1.1\r\nHost: gw\r\nConnection: keep-alive\r\n\r\n");
    const answer = await within(closed);
    expect(answer).toMatch(/^HTTP\/1\.1 200/);
  });
});
