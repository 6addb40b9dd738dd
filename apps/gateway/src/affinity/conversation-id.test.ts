import type { ChatCompletionRequest } from "@429chain/contracts";
import type { AnthropicMessagesRequest, ResponsesRequest } from "@429chain/translate";
import { describe, expect, it } from "vitest";
import { canonicalJson, conversationId } from "./conversation-id";
import { sessionHeaderMark } from "./conversation-mark";
import {
  chatConversationMark,
  messagesConversationMark,
  responsesConversationMark,
} from "./conversation-marks";

const chatId = (body: Partial<ChatCompletionRequest>, key = "k", chain = "c") =>
  conversationId(key, chain, chatConversationMark(body as ChatCompletionRequest));

const opening = [
  { role: "system" as const, content: "Be terse." },
  { role: "user" as const, content: "Hello" },
];

describe("conversationId", () => {
  it("is the same for every turn of a conversation: the opening is what later turns repeat", () => {
    const later = [...opening, { role: "assistant" as const, content: "Hi" }];
    later.push({ role: "user", content: "More" });
    expect(chatId({ messages: later })).toBe(chatId({ messages: opening }));
  });

  it("tells conversations apart by their opening, their client key and their chain", () => {
    const first = chatId({ messages: opening });
    const other = [opening[0]!, { role: "user" as const, content: "Goodbye" }];
    expect(chatId({ messages: other })).not.toBe(first);
    expect(
      chatId({ messages: [{ role: "system", content: "Be verbose." }, opening[1]!] }),
    ).not.toBe(first);
    expect(chatId({ messages: opening }, "other-key")).not.toBe(first);
    expect(chatId({ messages: opening }, "k", "other-chain")).not.toBe(first);
  });

  it("ignores key order, string versus text parts, and where the cache breakpoint sits", () => {
    const parts = [
      { content: "Be terse.", role: "system" as const },
      {
        role: "user" as const,
        content: [{ text: "Hello", type: "text", cache_control: { type: "ephemeral" } }],
      },
    ];
    expect(chatId({ messages: parts })).toBe(chatId({ messages: opening }));
  });

  it("is a digest: neither the messages nor a client's own id appear in it", () => {
    const id = chatId({ messages: opening, user: "alice@example.com" });
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(id).not.toContain("alice");
  });

  it("takes prompt_cache_key, then user, over the opening", () => {
    const byUser = chatId({ messages: opening, user: "u1" });
    expect(chatId({ messages: [{ role: "user", content: "x" }], user: "u1" })).toBe(byUser);
    expect(chatId({ messages: opening, user: "u1", prompt_cache_key: "p1" })).toBe(
      chatId({ messages: [{ role: "user", content: "y" }], prompt_cache_key: "p1" }),
    );
    expect(chatId({ messages: opening, user: "" })).toBe(chatId({ messages: opening }));
  });

  it("reads the x-429chain-session header, ignoring an empty one", () => {
    expect(sessionHeaderMark({ "x-429chain-session": " s1 " })).toEqual({
      kind: "session",
      id: "s1",
    });
    expect(sessionHeaderMark({ "x-429chain-session": "" })).toBeUndefined();
    expect(sessionHeaderMark({})).toBeUndefined();
  });
});

describe("Anthropic and Responses openings", () => {
  const anthropicId = (req: Partial<AnthropicMessagesRequest>) =>
    conversationId("k", "c", messagesConversationMark(req as AnthropicMessagesRequest));
  const responsesId = (req: Partial<ResponsesRequest>) =>
    conversationId("k", "c", responsesConversationMark(req as ResponsesRequest));

  it("Anthropic: the system prompt (string or blocks) and the first user turn; metadata.user_id first", () => {
    const first = anthropicId({ system: "Sys", messages: [{ role: "user", content: "Hi" }] });
    const later = anthropicId({
      system: [{ type: "text", text: "Sys", cache_control: { type: "ephemeral" } }],
      messages: [
        { role: "user", content: [{ type: "text", text: "Hi" }] },
        { role: "assistant", content: "Hello" },
        { role: "user", content: "Next" },
      ],
    });
    expect(later).toBe(first);
    expect(anthropicId({ system: "Other", messages: [{ role: "user", content: "Hi" }] })).not.toBe(
      first,
    );
    const session = { user_id: "user_abc_session_1" };
    expect(anthropicId({ metadata: session, messages: [{ role: "user", content: "A" }] })).toBe(
      anthropicId({ metadata: session, messages: [{ role: "user", content: "B" }] }),
    );
  });

  it("Responses: a string input equals the same text replayed as a user item", () => {
    const first = responsesId({ instructions: "Be brief.", input: "Name a planet." });
    const later = responsesId({
      instructions: "Be brief.",
      input: [
        { role: "user", content: [{ type: "input_text", text: "Name a planet." }] },
        { role: "assistant", content: "Mars." },
        { role: "user", content: "Another." },
      ],
    });
    expect(later).toBe(first);
    expect(responsesId({ input: "Name a planet." })).not.toBe(first);
  });
});

describe("canonicalJson", () => {
  it("sorts keys at every depth and drops cache_control and undefined fields", () => {
    expect(canonicalJson({ b: [{ y: 1, x: 2, cache_control: {} }], a: "s", c: undefined })).toBe(
      '{"a":"s","b":[{"x":2,"y":1}]}',
    );
  });
});
