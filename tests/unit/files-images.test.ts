import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import { text } from 'node:stream/consumers'
import sharp from 'sharp'
import { afterAll, describe, expect, it } from 'vitest'
import { imageLimits, processImage } from '../../app/services/files/images.server'
import { fileKeyFor, isFileKey } from '../../app/services/files/keys.server'
import { localFileStore } from '../../app/services/files/store.server'
import { hasGpsDirectory, jpegWithGps, pngImage, svgWithScript } from '../support/images'

describe('the image pipeline', () => {
  it('re-encodes a phone JPEG to WebP without its EXIF and GPS, turned the way EXIF said', async () => {
    const original = await jpegWithGps({ width: 120, height: 80 })
    const before = await sharp(original).metadata()
    expect(before.exif?.toString('latin1')).toContain('TestPhone')
    expect(before.orientation).toBe(6)
    expect(hasGpsDirectory(before.exif)).toBe(true)

    const result = await processImage(original, 'jpeg')
    if (!result.ok) throw new Error(result.error)
    for (const variant of [result.card, result.page]) {
      const stored = await sharp(variant.bytes).metadata()
      expect(stored.format).toBe('webp')
      expect(stored.exif).toBeUndefined()
      expect(stored.xmp).toBeUndefined()
      expect(stored.icc).toBeUndefined()
      expect(stored.orientation).toBeUndefined()
      expect(variant.bytes.includes('TestPhone')).toBe(false)
      // Orientation 6 is a quarter turn: 120 × 80 sensor pixels show as 80 × 120, and stay that small.
      expect([stored.width, stored.height]).toEqual([80, 120])
      expect([variant.width, variant.height]).toEqual([80, 120])
      expect(variant.key).toBe(fileKeyFor(variant.bytes, 'webp'))
      expect(isFileKey(variant.key)).toBe(true)
    }
  })

  it('makes a card about 480 px wide and a page about 1200 px wide, never enlarging a small image', async () => {
    const large = await pngImage({ width: 3000, height: 2000 })
    const result = await processImage(large, 'png')
    if (!result.ok) throw new Error(result.error)
    expect([result.card.width, result.card.height]).toEqual([imageLimits.card.width, 320])
    expect([result.page.width, result.page.height]).toEqual([imageLimits.page.width, 800])

    const tall = await processImage(await pngImage({ width: 1000, height: 5000 }), 'png')
    if (!tall.ok) throw new Error(tall.error)
    expect([tall.card.width, tall.card.height]).toEqual([192, 960])

    const small = await processImage(await pngImage({ width: 300, height: 200 }), 'png')
    if (!small.ok) throw new Error(small.error)
    expect([small.card.width, small.page.width]).toEqual([300, 300])
  })

  it('keeps a PNG transparency (it was decoded as the PNG it is)', async () => {
    const result = await processImage(await pngImage({ alpha: 0.5 }), 'png')
    if (!result.ok) throw new Error(result.error)
    expect((await sharp(result.page.bytes).metadata()).hasAlpha).toBe(true)
  })

  it('is deterministic: the same image gives the same keys', async () => {
    const image = await pngImage({ color: '#123456' })
    const [a, b] = await Promise.all([processImage(image, 'png'), processImage(image, 'png')])
    if (!a.ok || !b.ok) throw new Error('refused')
    expect([a.card.key, a.page.key]).toEqual([b.card.key, b.page.key])
  })

  it('refuses what the sniffer did not say it was, and decodes no SVG even when asked to', async () => {
    expect(await processImage(await pngImage(), 'jpeg')).toEqual({ ok: false, error: 'not_this_kind' })
    // The SVG loader (librsvg, bundled with sharp) is blocked process-wide: nothing renders the script's document.
    expect(await processImage(svgWithScript, 'png')).toEqual({ ok: false, error: 'unreadable' })
    await expect(sharp(svgWithScript).toBuffer()).rejects.toThrow()
  })

  it('refuses a decompression bomb from its header, and a truncated file', async () => {
    // 10,000 × 10,000 of one colour compresses to almost nothing, and would need 400 MB decoded.
    const bomb = await sharp({
      create: { width: 10_000, height: 10_000, channels: 3, background: '#000' },
    })
      .png({ compressionLevel: 9 })
      .toBuffer()
    expect(bomb.length).toBeLessThan(1 << 20)
    expect(await processImage(bomb, 'png')).toEqual({ ok: false, error: 'too_many_pixels' })

    const whole = await jpegWithGps({ width: 400, height: 300 })
    expect(await processImage(whole.subarray(0, whole.length / 2), 'jpeg')).toEqual({
      ok: false,
      error: 'unreadable',
    })
  })
})

describe('the local file store', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'xfbf-store-'))
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }))
  const store = localFileStore(root)

  it('keeps files under their key, sharded by its first two characters, with nothing left over', async () => {
    const bytes = Buffer.from('some bytes')
    const key = fileKeyFor(bytes, 'png')
    expect(await store.exists(key)).toBe(false)
    expect(await store.open(key)).toBeNull()
    await store.put(key, bytes)
    await store.put(key, bytes) // the same content again: nothing to do
    expect(await store.exists(key)).toBe(true)
    expect(fs.readdirSync(path.join(root, key.slice(0, 2)))).toEqual([key])
    const opened = await store.open(key)
    expect(opened?.size).toBe(bytes.length)
    expect(await text(opened!.stream)).toBe('some bytes')
  })

  it('takes a stream', async () => {
    const bytes = Buffer.alloc(300_000, 7)
    const key = fileKeyFor(bytes, 'webp')
    await store.put(key, Readable.from([bytes.subarray(0, 100_000), bytes.subarray(100_000)]))
    const opened = await store.open(key)
    expect(opened?.size).toBe(bytes.length)
    opened?.stream.destroy()
  })

  it('leaves no file behind when a stream fails half way', async () => {
    const key = fileKeyFor(Buffer.from('never complete'), 'webp')
    const failing = new Readable({
      read() {
        this.push(Buffer.alloc(1000))
        this.destroy(new Error('client went away'))
      },
    })
    await expect(store.put(key, failing)).rejects.toThrow('client went away')
    expect(await store.exists(key)).toBe(false)
    expect(fs.readdirSync(path.join(root, key.slice(0, 2)))).toEqual([])
  })

  it('refuses anything that is not a key before it becomes a path', async () => {
    for (const bad of ['../../etc/passwd', `${'a'.repeat(64)}.svg`, `${'A'.repeat(64)}.png`, 'x/y.png']) {
      await expect(store.put(bad, Buffer.from('x'))).rejects.toThrow('Not a file key')
      await expect(store.open(bad)).rejects.toThrow('Not a file key')
    }
  })
})
