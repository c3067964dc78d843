// The playground loads the browser build of the wasm package straight from wasm/pkg/web
// (built by `make wasm-test` / wasm/build.sh), so there is no copy to keep in sync.
import { defineConfig } from "vite";
import { fileURLToPath } from "node:url";

const pkg = fileURLToPath(new URL("../../wasm/pkg/web/", import.meta.url));

export default defineConfig({
  base: "./",
  resolve: {
    alias: [
      { find: /^codetable-wasm$/, replacement: `${pkg}codetable_wasm.js` },
      { find: /^codetable-wasm\/(.*)$/, replacement: `${pkg}$1` },
    ],
  },
  worker: { format: "es" },
  server: { fs: { allow: [fileURLToPath(new URL("../..", import.meta.url))] } },
  build: { target: "es2022", chunkSizeWarningLimit: 2000 },
});
