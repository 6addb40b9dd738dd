import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

// packages/translate may import only @429chain/contracts; @anthropic-ai/sdk and openai are dev
// dependencies for tests (fixtures/ holds the SDK-backed test helper).
describe("anthropic translation modules", () => {
  it("import nothing but each other and @429chain/contracts at runtime", () => {
    const folder = new URL("./", import.meta.url);
    const modules = readdirSync(folder).filter(
      (file) => file.endsWith(".ts") && !file.endsWith(".test.ts"),
    );
    expect(modules.length).toBeGreaterThan(10);
    const foreign = modules.flatMap((file) => {
      const source = readFileSync(new URL(file, folder), "utf8");
      return [...source.matchAll(/^(?:import|export)[^;]*?from\s+"([^"]+)"/gms)]
        .map((match) => match[1] ?? "")
        .filter(
          (target) =>
            !target.startsWith("./") &&
            !target.startsWith("../") &&
            target !== "@429chain/contracts",
        )
        .map((target) => `${file}: ${target}`);
    });
    expect(foreign).toEqual([]);
  });
});
