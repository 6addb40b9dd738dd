import OpenAI from "openai";

export interface Served {
  /** x-429chain-provider: the entry that answered, "provider/model". */
  entry: string | null;
  attempts: number;
}

/** One chat completion through the gateway with the official SDK; which entry served it. */
export async function chatThroughGateway(
  gatewayUrl: string,
  key: string,
  chain: string,
): Promise<Served> {
  const client = new OpenAI({
    baseURL: `${gatewayUrl}/v1`,
    apiKey: key,
    maxRetries: 0,
    timeout: 10_000,
  });
  const { data, response } = await client.chat.completions
    .create({ model: chain, messages: [{ role: "user", content: "e2e: say hi" }] })
    .withResponse();
  if (!data.choices[0]?.message.content) throw new Error("the gateway answered without content");
  return {
    entry: response.headers.get("x-429chain-provider"),
    attempts: Number(response.headers.get("x-429chain-attempts")),
  };
}
