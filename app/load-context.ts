// What server.ts passes to every loader and action (see getLoadContext there).
declare module '@remix-run/node' {
  interface AppLoadContext {
    /** Per-request nonce for the Content-Security-Policy. */
    cspNonce: string
  }
}

export {}
