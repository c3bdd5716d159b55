import { fileURLToPath } from 'node:url'
import { vitePlugin as remix } from '@remix-run/dev'
import tailwindcss from '@tailwindcss/vite'
import { defineConfig } from 'vite'
import remixConfig from './remix.config.js'

declare module '@remix-run/node' {
  interface Future {
    v3_singleFetch: true
  }
}

export default defineConfig({
  resolve: {
    alias: { '~': fileURLToPath(new URL('./app', import.meta.url)) },
  },
  // PGlite ships WASM and data files that it locates relative to its own module: bundling it breaks that.
  ssr: { external: ['@electric-sql/pglite', 'postgres'] },
  optimizeDeps: { exclude: ['@electric-sql/pglite'] },
  plugins: [tailwindcss(), remix(remixConfig)],
})
