// The Remix options live here and vite.config.ts passes them to the Vite plugin (which does not read this file
// by itself). Keeping them in a typed module means a mistyped key fails `npm run typecheck`.

/** @type {import('@remix-run/dev').VitePluginConfig} */
const remixConfig = {
  appDirectory: 'app',
  buildDirectory: 'build',
  ignoredRouteFiles: ['**/*.test.*', '**/.*'],
  // v3_lazyRouteDiscovery stays off: with it, a fetcher loading /search/suggest made a later client-side navigation
  // to /search miss its route (a 404 in the browser). Our route manifest is small enough to ship whole.
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_singleFetch: true,
  },
}

export default remixConfig
