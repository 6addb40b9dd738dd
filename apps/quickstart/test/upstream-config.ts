import { writeFileSync } from "node:fs";
import { join } from "node:path";
import OpenAI from "openai";

export const CLIENT_KEY = "sk-quickstart-test";
export const UPSTREAM_TEXT = "hello from upstream";

/** A config file whose one chain, "main", goes to the fake upstream's /up. */
export function writeUpstreamConfig(dir: string, upstreamUrl: string): string {
  const path = join(dir, "config.yaml");
  writeFileSync(
    path,
    JSON.stringify({
      version: 1,
      settings: { apiKeys: [CLIENT_KEY], defaultChain: "main" },
      providers: [
        { id: "up", name: "Up", type: "openai", apiKey: "sk-up", baseUrl: `${upstreamUrl}/up` },
      ],
      chains: [{ name: "main", entries: [{ provider: "up", model: "m" }] }],
    }),
  );
  return path;
}

/** One chat completion through the gateway with the official SDK. */
export async function chat(gatewayPort: number): Promise<{ requestId: string; text: string }> {
  const client = new OpenAI({
    apiKey: CLIENT_KEY,
    baseURL: `http://127.0.0.1:${gatewayPort}/v1`,
    maxRetries: 0,
  });
  const { data, response } = await client.chat.completions
    .create({ model: "main", messages: [{ role: "user", content: "hi" }] })
    .withResponse();
  return {
    requestId: response.headers.get("x-request-id") ?? "",
    text: data.choices[0]?.message.content ?? "",
  };
}
