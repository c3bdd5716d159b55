import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  decryptText,
  deriveSubKeys,
  encryptText,
  fieldProtector,
  parseDataKey,
} from '~/services/secrets/index.server'
import { demoDataKey } from '~/services/secrets/keys.server'
import { parseEnv } from '~/utils/env.server'

const master = Buffer.alloc(32, 7)
// A synthetic number with a valid check digit (address code 110105, born 1949-12-31).
const idNumber = '11010519491231002X'

describe('secrets', () => {
  it('derives different sub-keys for encryption and for the HMAC, neither equal to the master key', () => {
    const keys = deriveSubKeys(master)
    expect(keys.encryption.length).toBe(32)
    expect(keys.hmac.length).toBe(32)
    expect(keys.encryption.equals(keys.hmac)).toBe(false)
    expect(keys.encryption.equals(master)).toBe(false)
    expect(keys.hmac.equals(master)).toBe(false)
    // Another master key gives other sub-keys.
    expect(deriveSubKeys(Buffer.alloc(32, 8)).encryption.equals(keys.encryption)).toBe(false)
  })

  it('encrypts one ID number differently every time, and both decrypt to it', () => {
    const protector = fieldProtector(master, 'households.id_number')
    const a = protector.encrypt(idNumber)
    const b = protector.encrypt(idNumber)
    expect(a).not.toBe(b)
    expect(a).not.toContain(idNumber)
    expect(protector.decrypt(a)).toBe(idNumber)
    expect(protector.decrypt(b)).toBe(idNumber)
    // The HMAC is stable (duplicates are found) and is not the number.
    expect(protector.hmac(idNumber)).toBe(protector.hmac(idNumber))
    expect(protector.hmac(idNumber)).not.toContain(idNumber)
    expect(protector.hmac(idNumber)).not.toBe(protector.hmac('110105194912310029'))
  })

  it('refuses a ciphertext that was altered, made for another purpose or with another key', () => {
    const keys = deriveSubKeys(master)
    const stored = encryptText(keys.encryption, idNumber, 'households.id_number')
    expect(decryptText(keys.encryption, stored, 'other.purpose')).toBeNull()
    expect(
      decryptText(deriveSubKeys(Buffer.alloc(32, 9)).encryption, stored, 'households.id_number'),
    ).toBeNull()
    const body = Buffer.from(stored.slice(3), 'base64url')
    body[20] = body[20]! ^ 1
    expect(
      decryptText(keys.encryption, 'v1.' + body.toString('base64url'), 'households.id_number'),
    ).toBeNull()
    expect(decryptText(keys.encryption, 'garbage', 'households.id_number')).toBeNull()
  })

  it('reads DATA_KEY as hex or base64 and requires it in production', () => {
    expect(parseDataKey('ab'.repeat(32))?.length).toBe(32)
    expect(parseDataKey(Buffer.alloc(32, 1).toString('base64'))?.length).toBe(32)
    expect(parseDataKey('too-short')).toBeNull()
    const production = {
      APP_MODE: 'production',
      DATABASE_URL: 'postgres://x@h/db',
      PLATFORM_BANK_ACCOUNT_NAME: '某某平台有限公司',
      PLATFORM_BANK_NAME: '某银行福州分行',
      PLATFORM_BANK_ACCOUNT_NUMBER: '6222 0000 1111',
    }
    expect(() => parseEnv(production)).toThrow(/DATA_KEY/)
    expect(parseEnv({ ...production, DATA_KEY: 'ab'.repeat(32) }).DATA_KEY).toBe('ab'.repeat(32))
    expect(() => parseEnv({ DATA_KEY: 'nope' })).toThrow(/DATA_KEY/)
  })

  it('generates the demo key once, readable by its owner only, and reads it back', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xfbf-secrets-'))
    try {
      const first = demoDataKey(dir)
      const second = demoDataKey(dir)
      expect(first.equals(second)).toBe(true)
      const file = path.join(dir, 'secrets.json')
      expect(fs.statSync(file).mode & 0o777).toBe(0o600)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
