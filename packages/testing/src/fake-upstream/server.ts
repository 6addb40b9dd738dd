import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { anthropicEchoResponse } from "./anthropic-echo";
import { completion, streamed, usageFor } from "./chat";
import { embeddingsEchoResponse } from "./embeddings";
import { sendFakeResponse } from "./send-response";
import type { FakeResponse, FakeRoute, FakeUpstream, ReceivedRequest, RequestHook } from "./types";

const DEFAULT_TEXT = "Hello from the fake upstream.";

/**
 * What an unprogrammed path answers: an Anthropic message or token count on `…/v1/messages`
 * paths, vectors on `…/embeddings`, else a valid completion or stream echoing the model.
 */
function echoResponse(req: ReceivedRequest): FakeResponse {
  const special = anthropicEchoResponse(req) ?? embeddingsEchoResponse(req);
  if (special) return special;
  const body = (typeof req.body === "object" && req.body !== null ? req.body : {}) as {
    model?: unknown;
    stream?: unknown;
    stream_options?: { include_usage?: unknown } | null;
  };
  const model = typeof body.model === "string" ? body.model : "fake-model";
  if (body.stream === true) {
    const usage = body.stream_options?.include_usage === true ? usageFor(DEFAULT_TEXT) : undefined;
    return streamed(model, ["Hello", " from the fake upstream."], { usage });
  }
  return completion(model, DEFAULT_TEXT);
}

function parseBody(raw: string): unknown {
  if (raw === "") return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

function readRequest(req: IncomingMessage): Promise<ReceivedRequest> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("error", reject);
    req.on("end", () => {
      const rawBody = Buffer.concat(chunks).toString("utf8");
      const path = new URL(req.url ?? "/", "http://fake").pathname;
      resolve({
        method: req.method ?? "GET",
        path,
        headers: req.headers,
        body: parseBody(rawBody),
        rawBody,
      });
    });
  });
}

interface HitWaiter {
  path: string;
  count: number;
  resolve: () => void;
}

export async function startFakeUpstream(): Promise<FakeUpstream> {
  const queues = new Map<string, FakeRoute[]>();
  const defaults = new Map<string, FakeRoute>();
  const received = new Map<string, ReceivedRequest[]>();
  const hooks = new Set<RequestHook>();
  const waiters = new Set<HitWaiter>();
  const sockets = new Set<Socket>();
  const closing = new AbortController();

  const hits = (path: string) => received.get(path)?.length ?? 0;

  function nextRoute(path: string): FakeRoute | undefined {
    const queue = queues.get(path) ?? [];
    // The last queued answer repeats forever unless a default takes over.
    if (queue.length > 1 || (queue.length === 1 && defaults.has(path))) return queue.shift();
    return queue[0] ?? defaults.get(path);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const request = await readRequest(req);
    const log = received.get(request.path);
    if (log) log.push(request);
    else received.set(request.path, [request]);
    for (const hook of hooks) hook(request);
    for (const w of waiters) if (w.path === request.path && hits(w.path) >= w.count) w.resolve();
    const route = nextRoute(request.path) ?? echoResponse;
    const resp = typeof route === "function" ? route(request) : route;
    await sendFakeResponse(res, resp, closing.signal);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.socket?.destroy());
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    route(path, ...responses) {
      queues.set(path, [...(queues.get(path) ?? []), ...responses]);
    },
    setDefault(path, response) {
      defaults.set(path, response);
    },
    hits,
    requests: (path) => [...(received.get(path) ?? [])],
    onRequest(hook) {
      hooks.add(hook);
      return () => hooks.delete(hook);
    },
    waitForHits(path, count, timeoutMs = 5_000) {
      if (hits(path) >= count) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(
            new Error(
              `expected ${count} hits on ${path} within ${timeoutMs} ms, got ${hits(path)}`,
            ),
          );
        }, timeoutMs);
        const waiter: HitWaiter = {
          path,
          count,
          resolve: () => {
            clearTimeout(timer);
            waiters.delete(waiter);
            resolve();
          },
        };
        waiters.add(waiter);
      });
    },
    reset() {
      queues.clear();
      defaults.clear();
      received.clear();
      hooks.clear();
    },
    async close() {
      closing.abort();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      await closed;
    },
  };
}
