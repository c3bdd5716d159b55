import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { illustrationUrl } from '~/components/product-picture'
import { productCategories } from '~/domains/catalog'

describe('category illustrations', () => {
  it('every category has its own drawing, and an unknown one gets the generic parcel', () => {
    const urls = productCategories.map(illustrationUrl)
    expect(new Set(urls).size).toBe(productCategories.length)
    expect(urls).not.toContain('/illustrations/other.svg')
    expect(illustrationUrl('未知类别')).toBe('/illustrations/other.svg')
  })

  it('each drawing exists and is a plain SVG: no scripts, no external references', () => {
    for (const url of [...productCategories.map(illustrationUrl), illustrationUrl('')]) {
      const file = path.join('public', url)
      const svg = fs.readFileSync(file, 'utf8')
      expect(svg, file).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 480 360"/)
      expect(svg, file).not.toMatch(/<script|on[a-z]+=|href=|<foreignObject|url\(/i)
    }
  })
})
