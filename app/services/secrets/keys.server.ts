import { createHmac, hkdfSync, randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

/**
 * The data key (DATA_KEY) and what is derived from it. The master key itself encrypts nothing: HKDF-SHA256 derives
 * one sub-key per purpose (encryption, duplicate-detection HMAC), so that knowing an HMAC sub-key tells nothing
 * about the encryption sub-key, and a new purpose never reuses an old key.
 */

export const DATA_KEY_BYTES = 32

/** 32 bytes written as 64 hex digits or as base64 (44 characters with padding, or 43 without). */
export function parseDataKey(text: string): Buffer | null {
  const value = text.trim()
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, 'hex')
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(value)) {
    const bytes = Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64')
    return bytes.length === DATA_KEY_BYTES ? bytes : null
  }
  return null
}

/** HKDF "info" labels: one per purpose, versioned so a future rotation can derive new keys beside the old. */
export const SUB_KEY_LABELS = {
  encryption: 'xfbf/households/id-number/aes-256-gcm/v1',
  hmac: 'xfbf/households/id-number/hmac-sha256/v1',
} as const

export type SubKeys = { encryption: Buffer; hmac: Buffer }

export function deriveSubKeys(master: Buffer): SubKeys {
  if (master.length !== DATA_KEY_BYTES) throw new RangeError('DATA_KEY must be 32 bytes')
  const derive = (info: string) =>
    Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), Buffer.from(info, 'utf8'), DATA_KEY_BYTES))
  return { encryption: derive(SUB_KEY_LABELS.encryption), hmac: derive(SUB_KEY_LABELS.hmac) }
}

/**
 * Demo mode without DATA_KEY: the key is generated once into DATA_DIR/secrets.json (owner read/write only) and read
 * from there afterwards, so the embedded database's encrypted fields stay readable across restarts. Two processes
 * starting at once cannot write two keys: the file is created exclusively and the loser reads the winner's.
 */
export function demoDataKey(dataDir: string): Buffer {
  const file = path.join(dataDir, 'secrets.json')
  const read = (): Buffer => {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { dataKey?: unknown }
    const key = typeof parsed.dataKey === 'string' ? parseDataKey(parsed.dataKey) : null
    if (!key) throw new Error(`${file} holds no valid dataKey (32 bytes, base64 or hex)`)
    return key
  }
  if (fs.existsSync(file)) return read()
  fs.mkdirSync(dataDir, { recursive: true })
  const key = randomBytes(DATA_KEY_BYTES)
  try {
    fs.writeFileSync(file, JSON.stringify({ dataKey: key.toString('base64') }) + '\n', {
      flag: 'wx',
      mode: 0o600,
    })
    return key
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return read()
    throw error
  }
}

/** The HMAC of a normalised value under the HMAC sub-key, as hex: equal values give equal HMACs. */
export function keyedHash(hmacKey: Buffer, value: string): string {
  return createHmac('sha256', hmacKey).update(value, 'utf8').digest('hex')
}
