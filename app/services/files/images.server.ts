import sharp from 'sharp'
import { fileKeyFor } from './keys.server'

/**
 * Product photos are decoded and re-encoded, never stored as uploaded: the stored copy is pixels only (no EXIF, GPS
 * position, camera serial, XMP or embedded profile; colours converted to sRGB), in a format browsers show
 * everywhere, at sizes the pages use. See docs/decisions/016-files-and-photos.md.
 */

// sharp bundles loaders for SVG (librsvg), PDF, TIFF, GIF, HEIF and more; this process decodes uploads only, and
// only the three kinds it accepts. Every other loader is blocked process-wide, so that a file the magic-byte check
// misjudged still never reaches one (the check in sniff.ts comes first and refuses SVG before sharp is called).
sharp.block({ operation: ['VipsForeignLoad'] })
sharp.unblock({
  operation: ['VipsForeignLoadJpegBuffer', 'VipsForeignLoadPngBuffer', 'VipsForeignLoadWebpBuffer'],
})
// libvips' operation cache keeps recent results for reuse; uploads are never processed twice, so it only holds memory.
sharp.cache(false)

export const imageLimits = {
  /** About a 7,700 × 5,200 photo: more than any phone takes, and a decompression bomb is refused from its header. */
  maxInputPixels: 40_000_000,
  /** Cards (grids of products): 480 px wide; tall images are bounded too, at twice the width. */
  card: { width: 480, height: 960 },
  /** The product page. */
  page: { width: 1200, height: 2400 },
  quality: 80,
} as const

export type ImageKind = 'jpeg' | 'png' | 'webp'

export type ImageVariant = { key: string; bytes: Buffer; width: number; height: number }

export type ProcessedImage =
  | { ok: true; card: ImageVariant; page: ImageVariant }
  | { ok: false; error: 'not_this_kind' | 'too_many_pixels' | 'unreadable' }

/**
 * The card and page variants of an uploaded image, as WebP, each with its content key. `kind` is what the magic
 * bytes said: a decoder that finds something else refuses. Orientation from EXIF is applied to the pixels before
 * the metadata is dropped; smaller images are never enlarged.
 */
export async function processImage(bytes: Uint8Array, kind: ImageKind): Promise<ProcessedImage> {
  const input = () => sharp(bytes, { limitInputPixels: imageLimits.maxInputPixels, failOn: 'error' }).rotate()
  try {
    const { format } = await input().metadata()
    if (format !== kind) return { ok: false, error: 'not_this_kind' }
    // No .withMetadata()/.keepExif(): sharp's output then carries no EXIF, XMP or ICC profile at all.
    const variant = async (box: { width: number; height: number }): Promise<ImageVariant> => {
      const { data, info } = await input()
        .resize({ ...box, fit: 'inside', withoutEnlargement: true })
        .webp({ quality: imageLimits.quality })
        .toBuffer({ resolveWithObject: true })
      return { key: fileKeyFor(data, 'webp'), bytes: data, width: info.width, height: info.height }
    }
    const card = await variant(imageLimits.card)
    const page = await variant(imageLimits.page)
    return { ok: true, card, page }
  } catch (error) {
    const message = error instanceof Error ? error.message : ''
    return { ok: false, error: /pixel limit/i.test(message) ? 'too_many_pixels' : 'unreadable' }
  }
}
