import { ChatCompletionRequestSchema } from "@429chain/contracts";
import { describe, expect, it } from "vitest";
import { readFixtures } from "./fixtures/read-fixtures";
import { parseResponsesRequest } from "./parse-responses-request";
import { responsesToChatRequest } from "./responses-to-chat-request";

interface RequestFixture {
  responses: unknown;
  chat: unknown;
}

describe("responsesToChatRequest", () => {
  it.each(readFixtures<RequestFixture>("requests"))("translates the %s request", (_, f) => {
    const parsed = parseResponsesRequest(f.responses);
    if (!parsed.ok) throw new Error(parsed.error.message);
    const chat = responsesToChatRequest(parsed.request);
    expect(chat).toEqual(f.chat);
    // The gateway validates what it sends like any chat request.
    expect(ChatCompletionRequestSchema.safeParse(chat).success).toBe(true);
  });

  it("sends tool_choice 'auto' and 'none' with tools as they are", () => {
    for (const choice of ["auto", "none"] as const) {
      const parsed = parseResponsesRequest({
        input: "hi",
        tools: [{ type: "function", name: "f", parameters: {}, strict: false }],
        tool_choice: choice,
      });
      if (!parsed.ok) throw new Error(parsed.error.message);
      expect(responsesToChatRequest(parsed.request).tool_choice).toBe(choice);
    }
  });
});
