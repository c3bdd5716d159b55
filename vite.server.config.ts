import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

/**
 * Compiles server.ts (the web process) to build/server.js, so production runs it with plain `node`: no tsx,
 * esbuild or cross-env process in the serving tree, and no TypeScript compile at start. Packages stay external (as
 * in any SSR build); only the project's own modules are bundled. `npm run build` runs this after the Remix build.
 */
export default defineConfig({
  resolve: {
    alias: { '~': fileURLToPath(new URL('./app', import.meta.url)) },
  },
  publicDir: false,
  logLevel: 'warn',
  build: {
    ssr: 'server.ts',
    outDir: 'build',
    emptyOutDir: false,
    target: 'node20',
    sourcemap: true,
    rollupOptions: { output: { entryFileNames: 'server.js', format: 'es' } },
  },
})
