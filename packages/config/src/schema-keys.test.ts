import {
  ChainEntrySchema,
  ChainSchema,
  ConfigSchema,
  ProviderConfigSchema,
  ProviderTimeoutsSchema,
  RateLimitsSchema,
  SettingsSchema,
} from "@429chain/contracts";
import { describe, expect, it } from "vitest";
import { CONFIG_KEY_TREE, type KeyNode } from "./schema-keys";

function fields(node: KeyNode | undefined): Record<string, KeyNode> {
  if (node?.kind !== "object") throw new Error(`expected an object node, got ${node?.kind}`);
  return node.fields;
}

function inner(node: KeyNode | undefined): KeyNode | undefined {
  if (node?.kind === "array") return node.item;
  if (node?.kind === "record") return node.value;
  throw new Error(`expected an array or record node, got ${node?.kind}`);
}

const keys = (schema: { shape: object }) => Object.keys(schema.shape).sort();
const names = (node: KeyNode | undefined) => Object.keys(fields(node)).sort();

// Fails when a schema key is added that the unknown-key walker would wrongly warn about.
describe("CONFIG_KEY_TREE", () => {
  const root = fields(CONFIG_KEY_TREE);
  const provider = inner(root.providers);
  const chain = inner(root.chains);

  it("sees every key of every config schema", () => {
    expect(names(CONFIG_KEY_TREE)).toEqual(keys(ConfigSchema));
    expect(names(root.settings)).toEqual(keys(SettingsSchema));
    expect(names(provider)).toEqual(keys(ProviderConfigSchema));
    expect(names(fields(provider).rateLimits)).toEqual(keys(RateLimitsSchema));
    expect(names(inner(fields(provider).modelRateLimits))).toEqual(keys(RateLimitsSchema));
    expect(names(fields(provider).timeouts)).toEqual(keys(ProviderTimeoutsSchema));
    expect(names(chain)).toEqual(keys(ChainSchema));
    expect(names(inner(fields(chain).entries))).toEqual(keys(ChainEntrySchema));
  });

  it("treats scalars, enums and string records as leaves", () => {
    expect(fields(root.settings).logLevel).toEqual({ kind: "leaf" });
    expect(fields(provider).headers).toEqual({ kind: "record", value: { kind: "leaf" } });
  });
});
