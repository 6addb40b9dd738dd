import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadConfigFile, parseConfigText } from "./load-config";

const EXAMPLE = fileURLToPath(new URL("../../../config/config.example.yaml", import.meta.url));

const MINIMAL = `version: 1
settings:
  apiKeys:
    - sk-test
  defaultChain: fast
providers:
  - id: groq
    name: Groq
    type: groq
    apiKey: gsk_test
chains:
  - name: fast
    entries:
      - provider: groq
        model: llama-3.1-8b-instant
`;

function loaded(text: string) {
  const result = parseConfigText(text, "test.yaml");
  if (!result.ok) throw new Error(result.errors.join("\n"));
  return result;
}

describe("loadConfigFile", () => {
  it("loads the example file without warnings", async () => {
    const result = await loadConfigFile(EXAMPLE);
    expect(result).toMatchObject({ ok: true, warnings: [] });
    if (!result.ok) return;
    expect(result.config.settings.apiKeys).toEqual(["sk-429chain-change-me"]);
    expect(result.config.chains.map((c) => c.name)).toEqual(["fast", "smart", "free"]);
    const types = result.config.providers.map((p) => p.type).sort();
    expect(types).toEqual([
      "cerebras",
      "generic-openai",
      "google-ai",
      "groq",
      "mistral",
      "openai",
      "openrouter",
    ]);
  });

  it("names the path of a missing file", async () => {
    expect(await loadConfigFile("/nonexistent/429chain.yaml")).toEqual({
      ok: false,
      errors: ["config file not found: /nonexistent/429chain.yaml"],
      warnings: [],
    });
  });
});

describe("parseConfigText with valid v1 files", () => {
  it("fills every v1 default into a minimal file", () => {
    const { config, warnings } = loaded(MINIMAL);
    expect(warnings).toEqual([]);
    expect(config.settings).toMatchObject({
      port: 3429,
      apiKeys: ["sk-test"],
      defaultChain: "fast",
      cooldownDefaultMs: 60000,
      requestTimeoutMs: 30000,
      streamIdleTimeoutMs: 30000,
      logLevel: "info",
      dbPath: "./data/observability.db",
      normalizeResponses: false,
      midStreamFailureThreshold: 3,
      midStreamCooldownMs: 120000,
      midStreamCooldownMaxMs: 1800000,
      queueMode: false,
      queueMaxWaitMs: 300000,
      queueMaxSize: 100,
    });
    expect(config.providers[0]).toMatchObject({ id: "groq", enabled: true });
    expect(config.chains[0]?.entries[0]).toMatchObject({ provider: "groq", enabled: true });
  });

  it.each(["trace", "fatal", "debug"])("accepts logLevel %s", (level) => {
    const text = MINIMAL.replace(
      "  defaultChain: fast",
      `  defaultChain: fast\n  logLevel: ${level}`,
    );
    expect(loaded(text).config.settings.logLevel).toBe(level);
  });

  it("accepts every rateLimits field, a provider timeout and generic-openai with baseUrl", () => {
    const text = MINIMAL.replace(
      "    apiKey: gsk_test\n",
      `    apiKey: gsk_test
    timeout: 45000
    rateLimits:
      requestsPerMinute: 30
      tokensPerMinute: 6000
      requestsPerDay: 14400
      concurrentRequests: 2
  - id: local
    name: Ollama
    type: generic-openai
    apiKey: ollama
    baseUrl: http://localhost:11434/v1
`,
    );
    const { config, warnings } = loaded(text);
    expect(warnings).toEqual([]);
    expect(config.providers[0]).toMatchObject({
      timeout: 45000,
      rateLimits: {
        requestsPerMinute: 30,
        tokensPerMinute: 6000,
        requestsPerDay: 14400,
        concurrentRequests: 2,
      },
    });
    expect(config.providers[1]?.baseUrl).toBe("http://localhost:11434/v1");
  });

  it("warns about unknown keys with the line and a suggestion, and still loads", () => {
    const text = MINIMAL.replace(
      "    apiKey: gsk_test\n",
      "    apiKey: gsk_test\n    rateLimit:\n      requestsPerMinute: 30\n    colour: blue\n",
    ).replace("  defaultChain: fast", "  defaultChain: fast\n  requestTimeoutMS: 1000");
    const result = parseConfigText(text, "test.yaml");
    expect(result).toMatchObject({ ok: true });
    expect(result.warnings).toEqual([
      'settings.requestTimeoutMS: unknown key, did you mean "requestTimeoutMs"? (line 6)',
      'providers[0].rateLimit: unknown key, did you mean "rateLimits"? (line 12)',
      "providers[0].colour: unknown key, ignored (line 14)",
    ]);
  });

  it("checks keys inside per-model limits", () => {
    const text = MINIMAL.replace(
      "    apiKey: gsk_test\n",
      '    apiKey: gsk_test\n    modelRateLimits:\n      "meta/llama:free":\n        requestsPerMinut: 5\n',
    );
    expect(loaded(text).warnings).toEqual([
      'providers[0].modelRateLimits["meta/llama:free"].requestsPerMinut: unknown key, did you mean "requestsPerMinute"? (line 13)',
    ]);
  });
});
