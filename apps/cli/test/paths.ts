import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";

export const EXAMPLE_CONFIG = fileURLToPath(
  new URL("../../../config/config.example.yaml", import.meta.url),
);

/** A fresh 32-byte master key as an operator makes one (`openssl rand -base64 32`). */
export function newMasterKey(): string {
  return randomBytes(32).toString("base64");
}
