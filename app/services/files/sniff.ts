/**
 * What a file is, from its first bytes: never from its name or the Content-Type the browser sent, which say what
 * the sender claims (a PNG renamed .jpg is a PNG; an SVG renamed .png is still a script-carrying document). Only
 * the kinds the app keeps are accepted; everything else is refused with a reason the uploader can act on.
 */
export type SniffedKind = 'jpeg' | 'png' | 'webp' | 'pdf'

export type RefusedKind = 'empty' | 'svg' | 'html' | 'gif' | 'heic' | 'avif' | 'zip' | 'unknown'

export type Sniffed = { ok: true; kind: SniffedKind } | { ok: false; kind: RefusedKind; reason: string }

/** Why each kind is refused, in both languages (the uploader sees it next to the file). */
export const refusalReasons: Record<RefusedKind, string> = {
  empty: '文件是空的 / The file is empty',
  svg: '不接受 SVG/XML：其中可以带脚本，请上传 JPEG、PNG 或 WebP / SVG and XML are not accepted (they can carry scripts): upload a JPEG, PNG or WebP',
  html: '这是网页（HTML），不是图片 / This is a web page (HTML), not an image',
  gif: '不接受 GIF，请上传 JPEG、PNG 或 WebP / GIF is not accepted: upload a JPEG, PNG or WebP',
  heic: '不接受 HEIC（苹果手机默认格式），请在手机上选择“兼容性最佳”或导出为 JPEG / HEIC is not accepted: export the photo as JPEG',
  avif: '不接受 AVIF，请上传 JPEG、PNG 或 WebP / AVIF is not accepted: upload a JPEG, PNG or WebP',
  zip: '这是压缩包或 Office 文档，不是图片 / This is an archive or an Office document, not an image',
  unknown:
    '无法识别的文件类型，只接受 JPEG、PNG、WebP（证书材料另可 PDF） / Unrecognised file type: only JPEG, PNG and WebP (and PDF for certificates) are accepted',
}

function startsWith(bytes: Uint8Array, signature: readonly number[], offset = 0): boolean {
  if (bytes.length < offset + signature.length) return false
  return signature.every((byte, i) => bytes[offset + i] === byte)
}

function ascii(bytes: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...bytes.subarray(from, Math.min(to, bytes.length)))
}

const JPEG = [0xff, 0xd8, 0xff]
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
const PDF = [0x25, 0x50, 0x44, 0x46, 0x2d] // %PDF-
const ZIP = [0x50, 0x4b, 0x03, 0x04]
const GIF = [0x47, 0x49, 0x46, 0x38] // GIF8 (GIF87a, GIF89a)

/** ISO base media brands (the `ftyp` box at offset 4) of HEIF/HEIC and AVIF. */
const HEIC_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1'])
const AVIF_BRANDS = new Set(['avif', 'avis'])

export function sniffFileType(bytes: Uint8Array): Sniffed {
  const refuse = (kind: RefusedKind): Sniffed => ({ ok: false, kind, reason: refusalReasons[kind] })
  if (bytes.length === 0) return refuse('empty')
  if (startsWith(bytes, JPEG)) return { ok: true, kind: 'jpeg' }
  if (startsWith(bytes, PNG)) return { ok: true, kind: 'png' }
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return { ok: true, kind: 'webp' }
  if (startsWith(bytes, PDF)) return { ok: true, kind: 'pdf' }
  if (startsWith(bytes, GIF)) return refuse('gif')
  if (startsWith(bytes, ZIP)) return refuse('zip')
  if (ascii(bytes, 4, 8) === 'ftyp') {
    const brand = ascii(bytes, 8, 12)
    if (AVIF_BRANDS.has(brand)) return refuse('avif')
    if (HEIC_BRANDS.has(brand)) return refuse('heic')
    return refuse('unknown')
  }
  // Text formats may start with a byte-order mark and whitespace; look at the first few hundred characters.
  const head = new TextDecoder('utf-8', { fatal: false })
    .decode(bytes.subarray(0, 512))
    .replace(/^\uFEFF/, '')
    .trimStart()
    .toLowerCase()
  if (head.startsWith('<?xml') || head.startsWith('<svg') || /^<!doctype svg/.test(head)) return refuse('svg')
  if (head.startsWith('<!doctype html') || head.startsWith('<html') || head.startsWith('<!--')) {
    // A comment may precede either; an SVG says so soon after.
    return head.includes('<svg') ? refuse('svg') : refuse('html')
  }
  if (/^<(head|body|script|iframe)\b/.test(head)) return refuse('html')
  return refuse('unknown')
}
