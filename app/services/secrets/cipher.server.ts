import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'

/**
 * AES-256-GCM with a random 96-bit IV per encryption: the same value encrypts differently every time. The stored
 * text is `v1.` + base64url(iv ‖ ciphertext ‖ 128-bit tag); the version names the sub-key's label, so a rotated key
 * can be told apart. `aad` binds a ciphertext to its purpose: one copied into another column does not decrypt.
 */
const IV_BYTES = 12
const TAG_BYTES = 16
const PREFIX = 'v1.'

export function encryptText(key: Buffer, plaintext: string, aad: string): string {
  const iv = randomBytes(IV_BYTES)
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES })
  cipher.setAAD(Buffer.from(aad, 'utf8'))
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
  return PREFIX + Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')
}

/** The plaintext, or null when the text was not made by encryptText with this key and purpose. */
export function decryptText(key: Buffer, stored: string, aad: string): string | null {
  if (!stored.startsWith(PREFIX)) return null
  const bytes = Buffer.from(stored.slice(PREFIX.length), 'base64url')
  if (bytes.length < IV_BYTES + TAG_BYTES) return null
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES), {
      authTagLength: TAG_BYTES,
    })
    decipher.setAAD(Buffer.from(aad, 'utf8'))
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES))
    return Buffer.concat([
      decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8')
  } catch {
    return null
  }
}
