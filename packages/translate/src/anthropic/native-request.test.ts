import { describe, expect, it } from "vitest";
import { loadFixture } from "./fixtures/load-fixture";
import { prepareNativeAnthropicRequest } from "./native-request";
import type { AnthropicMessagesRequest } from "./types";

const claudeCode = () =>
  loadFixture<{ anthropic: AnthropicMessagesRequest }>("anthropic-to-chat/claude-code.json")
    .anthropic;

const toolLoop = (assistant: unknown[]): AnthropicMessagesRequest => ({
  model: "chain",
  max_tokens: 4000,
  thinking: { type: "enabled", budget_tokens: 2000 },
  messages: [
    { role: "user", content: "List the files." },
    {
      role: "assistant",
      content: assistant as AnthropicMessagesRequest["messages"][number]["content"],
    },
    { role: "user", content: [{ type: "tool_result", tool_use_id: "t1", content: "a.ts" }] },
  ],
});
const toolUse = { type: "tool_use", id: "t1", name: "LS", input: {} };

describe("prepareNativeAnthropicRequest", () => {
  it("replaces only the model of a Claude Code request (cache_control, thinking, signed history intact)", () => {
    const body = claudeCode();
    const before = structuredClone(body);
    const prepared = prepareNativeAnthropicRequest(body, "claude-opus-4-8");
    expect(prepared).toEqual({ body: { ...before, model: "claude-opus-4-8" }, notes: [] });
    expect(body).toEqual(before);
  });

  it("drops thinking blocks without a signature and redacted thinking without data, and the turns they emptied", () => {
    const body: AnthropicMessagesRequest = {
      model: "chain",
      max_tokens: 100,
      messages: [
        { role: "user", content: "x" },
        {
          role: "assistant",
          content: [{ type: "thinking", thinking: "from elsewhere", signature: "" }],
        },
        {
          role: "assistant",
          content: [
            { type: "thinking", thinking: "signed", signature: "EqQBCkgI" },
            { type: "redacted_thinking", data: "" },
            { type: "text", text: "answer" },
          ],
        },
      ],
    };
    const before = structuredClone(body);
    const prepared = prepareNativeAnthropicRequest(body, "claude-sonnet-4-6");
    expect(prepared.body.messages).toEqual([
      { role: "user", content: "x" },
      {
        role: "assistant",
        content: [
          { type: "thinking", thinking: "signed", signature: "EqQBCkgI" },
          { type: "text", text: "answer" },
        ],
      },
    ]);
    expect(prepared.notes).toEqual([
      "2 thinking block(s) without an Anthropic signature dropped",
      "1 message(s) that held only such blocks removed",
    ]);
    expect(body).toEqual(before);
  });

  it("turns thinking off when the tool turn being answered came from another upstream (no thinking block first)", () => {
    const prepared = prepareNativeAnthropicRequest(
      toolLoop([{ type: "text", text: "Reasoning shown as text" }, toolUse]),
      "claude-sonnet-4-6",
    );
    expect(prepared.body.thinking).toBeUndefined();
    expect(prepared.body).not.toHaveProperty("thinking");
    expect(prepared.notes).toEqual([
      "thinking disabled for this request: the assistant turn before the last tool results has no Anthropic thinking block",
    ]);
    const adaptive = { ...toolLoop([{ type: "thinking", thinking: "t", signature: "" }, toolUse]) };
    adaptive.thinking = { type: "adaptive" };
    expect(prepareNativeAnthropicRequest(adaptive, "m").body).not.toHaveProperty("thinking");
  });

  it("keeps thinking when that turn starts with signed thinking, or when a new user turn follows", () => {
    const signed = toolLoop([{ type: "thinking", thinking: "t", signature: "sig" }, toolUse]);
    expect(prepareNativeAnthropicRequest(signed, "m")).toMatchObject({
      body: { thinking: { type: "enabled" } },
      notes: [],
    });
    const redacted = toolLoop([{ type: "redacted_thinking", data: "abc" }, toolUse]);
    expect(prepareNativeAnthropicRequest(redacted, "m").body.thinking).toEqual({
      type: "enabled",
      budget_tokens: 2000,
    });
    const newTurn = toolLoop([{ type: "text", text: "t" }, toolUse]);
    newTurn.messages.push(
      { role: "assistant", content: "done" },
      { role: "user", content: "thanks" },
    );
    expect(prepareNativeAnthropicRequest(newTurn, "m").body.thinking).toBeDefined();
  });
});
