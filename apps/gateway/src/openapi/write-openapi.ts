// Writes public/openapi.json from the zod contracts; the gateway's build runs it first.
//   tsx src/openapi/write-openapi.ts   (in apps/gateway)
import { writeFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import manifest from "../../package.json" with { type: "json" };
import { openApiDocument } from "./openapi-document";

export const OPENAPI_FILE = fileURLToPath(new URL("../../public/openapi.json", import.meta.url));

/** The document as the file holds it. */
export function openApiText(): string {
  return `${JSON.stringify(openApiDocument(manifest.version), null, 2)}\n`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  writeFileSync(OPENAPI_FILE, openApiText());
}
