import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import {
  anthropicRateLimited,
  completion,
  type FakeResponse,
  type ReceivedRequest,
  sseFrame,
  streamed,
} from "@429chain/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseConfig, TEST_KEY, useTestGateway } from "./harness";

/** The native Claude Code binary the npm package ships for this platform. */
function claudeBinary(): string {
  const here = createRequire(import.meta.url);
  const wrapper = dirname(here.resolve("@anthropic-ai/claude-code/package.json"));
  const native = createRequire(join(wrapper, "package.json")).resolve(
    `@anthropic-ai/claude-code-${process.platform}-${process.arch}/package.json`,
  );
  return join(dirname(native), "claude");
}

const ANTH = "/anth/v1/messages";
const OA = "/oa/chat/completions";

const t = useTestGateway((upstreamUrl) =>
  baseConfig({
    // Claude Code asks for its own model names (and a small, fast one): both land on the chain.
    settings: { modelAliases: { "claude-*": "coding" } },
    providers: [
      {
        id: "anth",
        name: "Anthropic",
        type: "anthropic",
        apiKey: "sk-ant-upstream",
        baseUrl: `${upstreamUrl}/anth`,
      },
      { id: "oa", name: "OA", type: "openai", apiKey: "k-oa", baseUrl: `${upstreamUrl}/oa` },
    ],
    chains: [
      {
        name: "coding",
        entries: [
          { provider: "anth", model: "claude-upstream" },
          { provider: "oa", model: "gpt-x" },
        ],
      },
    ],
  }),
);

let workDir: string;
beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), "429chain-claude-"));
});
afterAll(() => {
  rmSync(workDir, { recursive: true, force: true });
});

/** Runs `claude -p <prompt> [args]` against the gateway; resolves with its stdout. */
function runClaude(prompt: string, args: string[] = []): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(claudeBinary(), ["-p", prompt, ...args], {
      cwd: workDir,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        PATH: process.env.PATH ?? "",
        HOME: workDir,
        ANTHROPIC_BASE_URL: t.gw.url,
        ANTHROPIC_API_KEY: TEST_KEY,
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
        DISABLE_AUTOUPDATER: "1",
      },
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString();
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 90_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, out: out + err });
    });
  });
}

const usage = { prompt_tokens: 50, completion_tokens: 5, total_tokens: 55 };

/** Answers like an OpenAI-compatible upstream: a stream when asked for one. */
function answer(text: string) {
  return (req: ReceivedRequest): FakeResponse =>
    (req.body as { stream?: boolean }).stream
      ? streamed("gpt-x", [text], { usage })
      : completion("gpt-x", text);
}

function toolCallStream(name: string, args: Record<string, unknown>): FakeResponse {
  const chunk = (delta: object, finish: string | null = null) =>
    sseFrame({
      id: "chatcmpl-tool",
      object: "chat.completion.chunk",
      created: 1,
      model: "gpt-x",
      choices: [{ index: 0, delta, finish_reason: finish }],
    });
  return {
    stream: {
      frames: [
        chunk({ role: "assistant", content: "" }),
        chunk({
          tool_calls: [
            { index: 0, id: "call_bash_1", type: "function", function: { name, arguments: "" } },
          ],
        }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: JSON.stringify(args) } }] }),
        chunk({}, "tool_calls"),
        sseFrame({
          object: "chat.completion.chunk",
          id: "chatcmpl-tool",
          created: 1,
          model: "gpt-x",
          choices: [],
          usage,
        }),
        "data: [DONE]\n\n",
      ],
    },
  };
}

describe("the real Claude Code CLI through a chain", () => {
  it("is served by translation after the anthropic entry's 429", async () => {
    t.upstream.setDefault(ANTH, anthropicRateLimited({ retryAfterS: 60 }));
    t.upstream.setDefault(OA, answer("ANSWER-FROM-THE-CHAIN"));
    const run = await runClaude("say hi");
    expect(run.out).toContain("ANSWER-FROM-THE-CHAIN");
    expect(run.code).toBe(0);
    // The 429 cooled the anthropic entry: Claude Code's later calls went straight on.
    expect(t.upstream.hits(ANTH)).toBe(1);
    expect(t.upstream.hits(OA)).toBeGreaterThanOrEqual(1);
  }, 120_000);

  it("runs a Bash tool call round trip through an OpenAI-compatible entry", async () => {
    t.upstream.setDefault(ANTH, anthropicRateLimited({ retryAfterS: 60 }));
    t.upstream.setDefault(OA, (req) => {
      const messages = (req.body as { messages?: Array<{ role: string; content?: unknown }> })
        .messages;
      const toolResult = messages?.find((m) => m.role === "tool");
      if (toolResult) return answer(`TOOL-SAID: ${JSON.stringify(toolResult.content)}`)(req);
      if (!(req.body as { stream?: boolean }).stream) return answer("title")(req);
      return toolCallStream("Bash", {
        command: "echo 42-from-the-tool",
        description: "Print a marker",
      });
    });
    const run = await runClaude("run the marker command", ["--allowedTools", "Bash"]);
    expect(run.out).toContain("TOOL-SAID:");
    expect(run.out).toContain("42-from-the-tool");
    const withResult = t.upstream
      .requests(OA)
      .find((r) => JSON.stringify(r.body).includes('"role":"tool"'));
    expect(JSON.stringify(withResult?.body)).toContain("42-from-the-tool");
  }, 120_000);
});
