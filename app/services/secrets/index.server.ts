// Secrets: the data key (DATA_KEY, or in demo mode one generated into DATA_DIR/secrets.json), its HKDF sub-keys,
// AES-256-GCM for fields stored encrypted and an HMAC for finding duplicates without decrypting.
import { getEnv } from '../../utils/env.server'
import { decryptText, encryptText } from './cipher.server'
import { demoDataKey, deriveSubKeys, keyedHash, parseDataKey } from './keys.server'

export { decryptText, encryptText } from './cipher.server'
export { DATA_KEY_BYTES, deriveSubKeys, parseDataKey, SUB_KEY_LABELS, type SubKeys } from './keys.server'

/** What a domain needs to protect one kind of value: encrypt, decrypt and a duplicate-detection hash. */
export type FieldProtector = {
  encrypt(plaintext: string): string
  decrypt(stored: string): string | null
  hmac(plaintext: string): string
}

/** A protector for one purpose (the purpose is bound into every ciphertext). */
export function fieldProtector(master: Buffer, purpose: string): FieldProtector {
  const keys = deriveSubKeys(master)
  return {
    encrypt: (plaintext) => encryptText(keys.encryption, plaintext, purpose),
    decrypt: (stored) => decryptText(keys.encryption, stored, purpose),
    hmac: (plaintext) => keyedHash(keys.hmac, `${purpose}\u0000${plaintext}`),
  }
}

let cachedKey: Buffer | undefined

/** The process's data key: DATA_KEY, or (demo mode only) the generated one. Read once. */
export function getDataKey(): Buffer {
  if (cachedKey) return cachedKey
  const env = getEnv()
  if (env.DATA_KEY) {
    const key = parseDataKey(env.DATA_KEY)
    if (!key) throw new Error('DATA_KEY must be 32 bytes written as 64 hex digits or base64')
    cachedKey = key
  } else if (env.APP_MODE === 'demo') {
    cachedKey = demoDataKey(env.dataDir)
  } else {
    throw new Error('APP_MODE=production needs DATA_KEY (32 bytes, base64 or hex)')
  }
  return cachedKey
}

/** The ID numbers of beneficiary households. */
export function householdIdProtector(): FieldProtector {
  return fieldProtector(getDataKey(), 'households.id_number')
}
