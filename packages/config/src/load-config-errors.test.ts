import { describe, expect, it } from "vitest";
import { parseConfigText } from "./load-config";

// Line numbers in the expectations count from the `version:` line of each file.
const SETTINGS = `version: 1
settings:
  apiKeys: [sk-test]
  defaultChain: fast
`;
const GROQ = `  - id: groq
    name: Groq
    type: groq
    apiKey: gsk_test
`;
const FAST = `chains:
  - name: fast
    entries:
      - provider: groq
        model: llama-3.1-8b-instant
`;

function errorsOf(text: string): string[] {
  const result = parseConfigText(text, "test.yaml");
  if (result.ok) throw new Error("expected the file to be rejected");
  return result.errors;
}

describe("parseConfigText errors", () => {
  it("rejects a baseUrl that is not http(s)", () => {
    const providers = `providers:\n${GROQ}    baseUrl: ftp://example.com\n`;
    expect(errorsOf(SETTINGS + providers + FAST)).toEqual([
      "providers[0].baseUrl: must be an http(s) URL (line 10)",
    ]);
  });

  it("requires baseUrl for generic-openai, pointing at the provider", () => {
    const local = "  - id: local\n    name: Local\n    type: generic-openai\n    apiKey: x\n";
    expect(errorsOf(`${SETTINGS}providers:\n${GROQ}${local}${FAST}`)).toEqual([
      "providers[1].baseUrl: is required for type generic-openai (line 10)",
    ]);
  });

  it("rejects duplicate provider ids", () => {
    expect(errorsOf(`${SETTINGS}providers:\n${GROQ}${GROQ}${FAST}`)).toEqual([
      'providers[1].id: duplicate provider id "groq" (line 10)',
    ]);
  });

  it("rejects duplicate chain names", () => {
    const again = FAST.replace("chains:\n", "");
    expect(errorsOf(`${SETTINGS}providers:\n${GROQ}${FAST}${again}`)).toEqual([
      'chains[1].name: duplicate chain name "fast" (line 15)',
    ]);
  });

  it("rejects a chain entry naming a missing provider", () => {
    const chains = FAST.replace("provider: groq", "provider: grok");
    expect(errorsOf(`${SETTINGS}providers:\n${GROQ}${chains}`)).toEqual([
      'chains[0].entries[0].provider: unknown provider "grok" (line 13)',
    ]);
  });

  it("rejects an affinity that is not conversation, and any affinity on an embeddings chain", () => {
    const sticky = FAST.replace("  - name: fast\n", "  - name: fast\n    affinity: session\n");
    expect(errorsOf(`${SETTINGS}providers:\n${GROQ}${sticky}`)).toEqual([
      'chains[0].affinity: must be "conversation" (or left out for none) (line 12)',
    ]);
    const embed = FAST.replace(
      "  - name: fast\n",
      "  - name: fast\n    kind: embeddings\n    affinity: conversation\n",
    ).replace("provider: groq", "provider: oa");
    const openai = "  - id: oa\n    name: OpenAI\n    type: openai\n    apiKey: sk-x\n";
    expect(errorsOf(`${SETTINGS}providers:\n${openai}${embed}`)).toEqual([
      "chains[0].affinity: is only for chains of kind chat (an embedding has no conversation) (line 13)",
    ]);
  });

  it("rejects a defaultChain that names no chain", () => {
    const settings = SETTINGS.replace("defaultChain: fast", "defaultChain: smart");
    expect(errorsOf(`${settings}providers:\n${GROQ}${FAST}`)).toEqual([
      'settings.defaultChain: unknown chain "smart" (line 4)',
    ]);
  });

  it("reports a missing required key at its parent's line", () => {
    const settings = SETTINGS.replace("  defaultChain: fast\n", "");
    expect(errorsOf(`${settings}providers:\n${GROQ}${FAST}`)).toEqual([
      "settings.defaultChain: is required (line 2)",
    ]);
    const noKey = GROQ.replace("    apiKey: gsk_test\n", "");
    expect(errorsOf(`${SETTINGS}providers:\n${noKey}${FAST}`)).toEqual([
      "providers[0].apiKey: is required (line 6)",
    ]);
  });

  it("rejects version 2", () => {
    const text = `${SETTINGS}providers:\n${GROQ}${FAST}`.replace("version: 1", "version: 2");
    expect(errorsOf(text)).toEqual(["version: must be 1 (line 1)"]);
  });

  it("rejects an empty apiKeys list", () => {
    const settings = SETTINGS.replace("apiKeys: [sk-test]", "apiKeys: []");
    expect(errorsOf(`${settings}providers:\n${GROQ}${FAST}`)).toEqual([
      "settings.apiKeys: must list at least one key (line 3)",
    ]);
  });

  it("names the expected type of a wrongly typed value", () => {
    const settings = SETTINGS.replace("  defaultChain", "  port: high\n  defaultChain");
    expect(errorsOf(`${settings}providers:\n${GROQ}${FAST}`)).toEqual([
      'settings.port: expected number, got string "high" (line 4)',
    ]);
  });

  it("reports YAML syntax errors with line and column", () => {
    expect(errorsOf("version: 1\nsettings:\n\tport: 1\n")).toEqual([
      "test.yaml: Tabs are not allowed as indentation at line 3, column 1",
    ]);
    expect(errorsOf("version: 1\nversion: 1\n")).toEqual([
      "test.yaml: Map keys must be unique at line 2, column 1",
    ]);
  });

  it("rejects an empty file", () => {
    expect(errorsOf("# nothing here\n")).toEqual(["test.yaml: the file is empty"]);
  });
});
