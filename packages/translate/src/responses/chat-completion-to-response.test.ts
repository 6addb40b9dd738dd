import { describe, expect, it } from "vitest";
import type { ChatCompletion } from "../chat-types";
import { chatCompletionToResponse } from "./chat-completion-to-response";
import { readFixtures } from "./fixtures/read-fixtures";
import { parseResponsesRequest } from "./parse-responses-request";

interface AnswerFixture {
  request: unknown;
  id: string;
  createdAt?: number;
  chat: ChatCompletion;
  response: unknown;
}

describe("chatCompletionToResponse", () => {
  it.each(readFixtures<AnswerFixture>("answers"))("translates the %s answer", (_, f) => {
    const parsed = parseResponsesRequest(f.request);
    if (!parsed.ok) throw new Error(parsed.error.message);
    const response = chatCompletionToResponse(f.chat, parsed.request, {
      id: f.id,
      ...(f.createdAt !== undefined && { createdAt: f.createdAt }),
    });
    expect(response).toEqual(f.response);
  });
});
