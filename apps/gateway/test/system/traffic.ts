import { randomBytes } from "node:crypto";
import type { Db } from "@429chain/db";
import { requestLogs } from "@429chain/db";
import { waitFor } from "@429chain/testing";
import { inArray } from "drizzle-orm";
import OpenAI from "openai";

export interface ChatResult {
  /** The x-request-id the test sent: stored as the log's client_request_id, never its key. */
  id: string;
  /** x-429chain-provider: the entry that served the request. */
  provider: string | null;
  /** x-429chain-attempts: upstream calls made. */
  attempts: string | null;
  text: string;
}

export interface Traffic {
  /** One chat request with the official SDK; the text of a stream is its joined deltas. */
  chat(baseUrl: string, model: string, opts?: { stream?: boolean }): Promise<ChatResult>;
  /** Every request id sent so far, answered or not. */
  sent(): string[];
}

/** Sends chat requests with the `openai` SDK, each with its own x-request-id. */
export function createTraffic(apiKey: string): Traffic {
  const run = randomBytes(3).toString("hex");
  const clients = new Map<string, OpenAI>();
  const sent: string[] = [];

  function client(baseUrl: string): OpenAI {
    let found = clients.get(baseUrl);
    if (!found) {
      // No SDK retries: a request that fails must show as failed.
      found = new OpenAI({ apiKey, baseURL: `${baseUrl}/v1`, maxRetries: 0, timeout: 30_000 });
      clients.set(baseUrl, found);
    }
    return found;
  }

  async function chat(baseUrl: string, model: string, opts: { stream?: boolean } = {}) {
    const id = `sys-${run}-${sent.length + 1}`;
    sent.push(id);
    const messages = [{ role: "user" as const, content: "hi" }];
    const options = { headers: { "x-request-id": id } };
    const sdk = client(baseUrl);
    let text = "";
    let response: Response;
    if (opts.stream) {
      const started = await sdk.chat.completions
        .create({ model, messages, stream: true }, options)
        .withResponse();
      response = started.response;
      for await (const chunk of started.data) text += chunk.choices[0]?.delta?.content ?? "";
    } else {
      const answered = await sdk.chat.completions
        .create({ model, messages }, options)
        .withResponse();
      response = answered.response;
      text = answered.data.choices[0]?.message.content ?? "";
    }
    return {
      id,
      provider: response.headers.get("x-429chain-provider"),
      attempts: response.headers.get("x-429chain-attempts"),
      text,
    };
  }

  return { chat, sent: () => [...sent] };
}

/** The replica that logged each request, in the order of `ids`, once the worker stored them all. */
export async function loggedReplicas(db: Db, ids: string[]): Promise<string[]> {
  let byId = new Map<string, string>();
  await waitFor(
    async () => {
      const rows = await db
        .select({ id: requestLogs.clientRequestId, replica: requestLogs.replica })
        .from(requestLogs)
        .where(inArray(requestLogs.clientRequestId, ids));
      byId = new Map(rows.map((r) => [r.id ?? "", r.replica]));
      return byId.size === ids.length;
    },
    { timeoutMs: 15_000, intervalMs: 100, description: `${ids.length} request logs stored` },
  );
  return ids.map((id) => byId.get(id) ?? "");
}
