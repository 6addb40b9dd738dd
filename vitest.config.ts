import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // Next resolves `server-only` to an empty module on the server; outside React's server
    // condition the package throws, as it should in a client bundle. Tests run server code.
    alias: {
      "server-only": fileURLToPath(
        new URL("apps/admin/node_modules/server-only/empty.js", import.meta.url),
      ),
    },
  },
  test: {
    include: ["{apps,packages}/*/{src,test,bench}/**/*.test.ts", "infra/test/**/*.test.ts"],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
