import { fileURLToPath } from "node:url";
import { loadConfigFile } from "@429chain/config";
import type { Config } from "@429chain/contracts";
import { masterKeyFromBytes } from "../secrets/master-key";

const EXAMPLE_CONFIG_PATH = fileURLToPath(
  new URL("../../../../config/config.example.yaml", import.meta.url),
);

export async function loadExampleConfig(): Promise<Config> {
  const result = await loadConfigFile(EXAMPLE_CONFIG_PATH);
  if (!result.ok) throw new Error(result.errors.join("\n"));
  return result.config;
}

/** Fixed keys so failures reproduce; never used outside tests. */
export const TEST_KEY_A = masterKeyFromBytes(Buffer.alloc(32, 0xa1));
export const TEST_KEY_B = masterKeyFromBytes(Buffer.alloc(32, 0xb2));
