import { describe, expect, it } from 'vitest'
import { sniffFileType } from '../../app/services/files/sniff'

const bytes = (...parts: Array<string | number[]>) =>
  Buffer.concat(
    parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'latin1') : Buffer.from(part))),
  )

describe('sniffing a file type from its first bytes', () => {
  it.each([
    ['a JPEG', bytes([0xff, 0xd8, 0xff, 0xe0], 'JFIF'), 'jpeg'],
    ['a PNG', bytes([0x89], 'PNG', [0x0d, 0x0a, 0x1a, 0x0a], 'IHDR'), 'png'],
    ['a WebP', bytes('RIFF', [0x10, 0, 0, 0], 'WEBPVP8 '), 'webp'],
    ['a PDF', bytes('%PDF-1.7\n'), 'pdf'],
  ])('accepts %s', (_, data, kind) => {
    expect(sniffFileType(data)).toEqual({ ok: true, kind })
  })

  it.each([
    ['an SVG', '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', 'svg'],
    ['an SVG after a BOM and blank lines', '\uFEFF\n\n  <svg><script>alert(1)</script></svg>', 'svg'],
    ['an XML prologue', '<?xml version="1.0"?><svg/>', 'svg'],
    ['an SVG doctype', '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN"><svg/>', 'svg'],
    ['an SVG after a comment', '<!-- made by hand --><svg/>', 'svg'],
    ['an HTML page', '<!doctype html><html><script>alert(1)</script>', 'html'],
    ['a bare script', '<script>alert(1)</script>', 'html'],
    ['plain text', 'hello', 'unknown'],
  ])('refuses %s', (_, text, kind) => {
    const result = sniffFileType(Buffer.from(text, 'utf8'))
    expect(result.ok).toBe(false)
    expect(result).toMatchObject({ kind })
    expect(result.ok ? '' : result.reason).toMatch(/ \/ /)
  })

  it.each([
    ['a GIF', bytes('GIF89a', [1, 0, 1, 0]), 'gif'],
    ['a HEIC photo', bytes([0, 0, 0, 0x18], 'ftypheic', [0, 0, 0, 0], 'mif1heic'), 'heic'],
    ['an AVIF', bytes([0, 0, 0, 0x1c], 'ftypavif'), 'avif'],
    ['an MP4 video', bytes([0, 0, 0, 0x18], 'ftypisom'), 'unknown'],
    ['a zip (or .docx)', bytes('PK', [3, 4, 20, 0]), 'zip'],
    ['a WAV (RIFF but not WebP)', bytes('RIFF', [0x10, 0, 0, 0], 'WAVEfmt '), 'unknown'],
    ['a truncated PNG signature', bytes([0x89], 'PNG'), 'unknown'],
    ['an empty file', bytes(), 'empty'],
  ])('refuses %s', (_, data, kind) => {
    expect(sniffFileType(data)).toMatchObject({ ok: false, kind })
  })

  it('goes by the bytes, whatever the name or declared type would say', () => {
    // Only the bytes are passed in at all: a PNG sent as "photo.jpg" with image/jpeg is a PNG.
    expect(sniffFileType(bytes([0x89], 'PNG', [0x0d, 0x0a, 0x1a, 0x0a]))).toEqual({ ok: true, kind: 'png' })
  })
})
