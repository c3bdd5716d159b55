import { createContext, useContext } from 'react'

/**
 * The per-request CSP nonce, made by server.ts and handed to the app through the load context. Scripts that
 * Remix renders carry it so a strict Content-Security-Policy can allow them and nothing else.
 */
const NonceContext = createContext<string>('')

export const NonceProvider = NonceContext.Provider

export function useNonce(): string {
  return useContext(NonceContext)
}
