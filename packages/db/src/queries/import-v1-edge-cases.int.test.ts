import { parseConfigText } from "@429chain/config";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_KEY_A } from "../testing/fixtures";
import { type OpenTestDb, openTestDb, TEST_BACKENDS } from "../testing/test-database";
import { exportConfig } from "./export-config";
import { importConfig } from "./import-config";
import { loadConfigSnapshot } from "./load-config-snapshot";

// A v1 file with every v1 field away from its default, plus every additive extension.
const EDGE_CASE_V1 = `
version: 1
settings:
  port: 8080
  apiKeys: [sk-one, sk-two]
  defaultChain: local
  logLevel: trace
  cooldownDefaultMs: 5000
  requestTimeoutMs: 9000
  streamIdleTimeoutMs: 4000
  dbPath: /var/lib/429chain/obs.db
  normalizeResponses: true
  midStreamFailureThreshold: 1
  midStreamCooldownMs: 2000
  midStreamCooldownMaxMs: 8000
  queueMode: true
  queueMaxWaitMs: 10000
  queueMaxSize: 3
  unknownModel: reject
  circuitBreakerThreshold: 2
providers:
  - id: ollama
    name: Local Ollama
    type: generic-openai
    apiKey: unused
    baseUrl: http://localhost:11434/v1
    timeout: 120000
    rateLimits: { requestsPerMinute: 1, tokensPerMinute: 2, requestsPerDay: 3, concurrentRequests: 4, requestsPerHour: 5, tokensPerDay: 6 }
    headers: { x-extra: "1" }
    timeouts: { connectMs: 1000, firstByteMs: 2000, idleMs: 3000 }
    modelRateLimits: { "llama3.2:latest": { requestsPerMinute: 7 } }
  - id: router
    name: OpenRouter
    type: openrouter
    apiKey: sk-or-v1-abc
    enabled: false
chains:
  - name: local
    entries:
      - { provider: ollama, model: "llama3.2:latest" }
      - { provider: router, model: "meta-llama/llama-3.1-8b-instruct:free", enabled: false }
  - name: embed
    kind: embeddings
    dimensions: 768
    entries:
      - { provider: ollama, model: "nomic-embed-text" }
`;

describe.each(TEST_BACKENDS)("importing an edge-case v1 file (%s)", (backend) => {
  let t: OpenTestDb;
  beforeAll(async () => {
    t = await openTestDb(backend, "import_v1_edge");
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it("keeps every field, and export → import → export is stable", async () => {
    const parsed = parseConfigText(EDGE_CASE_V1, "edge.yaml");
    if (!parsed.ok) throw new Error(parsed.errors.join("\n"));
    expect(parsed.warnings).toEqual([]);
    await importConfig(t.db, parsed.config, { masterKey: TEST_KEY_A, actor: "test" });
    const snapshot = await loadConfigSnapshot(t.db, { masterKey: TEST_KEY_A });
    expect(snapshot.config).toEqual(parsed.config);

    const first = await exportConfig(t.db, { withSecrets: true, masterKey: TEST_KEY_A });
    const reparsed = parseConfigText(JSON.stringify(first.config), "export.json");
    if (!reparsed.ok) throw new Error(reparsed.errors.join("\n"));
    await importConfig(t.db, reparsed.config, { masterKey: TEST_KEY_A, actor: "test" });
    const second = await exportConfig(t.db, { withSecrets: true, masterKey: TEST_KEY_A });
    expect(second.config).toEqual(first.config);
  });
});
