import { createServer } from "node:http";
import { Agent, request } from "undici";

/**
 * The floor a gateway is judged against: node:http in, undici out, no parsing, no state.
 * Forwards every request's method, body and content type to `${UPSTREAM}${PATH_PREFIX}<path
 * without /v1>` and pipes the answer back. Run as its own process by the benchmarks.
 */
const upstream = process.env.UPSTREAM_URL;
const prefix = process.env.PATH_PREFIX ?? "";
if (!upstream) throw new Error("UPSTREAM_URL is required");
const agent = new Agent({ keepAliveTimeout: 30_000, connections: 256 });

const server = createServer(async (req, res) => {
  try {
    const path = `${prefix}${(req.url ?? "/").replace(/^\/v1/, "")}`;
    const answer = await request(`${upstream}${path}`, {
      method: (req.method ?? "POST") as "POST",
      headers: { "content-type": req.headers["content-type"] ?? "application/json" },
      body: req,
      dispatcher: agent,
    });
    const type = answer.headers["content-type"];
    res.writeHead(answer.statusCode, typeof type === "string" ? { "content-type": type } : {});
    for await (const chunk of answer.body) res.write(chunk);
    res.end();
  } catch {
    if (!res.headersSent) res.writeHead(502);
    res.end();
  }
});
server.keepAliveTimeout = 65_000;
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}` })}\n`);
});
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
process.on("SIGTERM", () => process.exit(0));
