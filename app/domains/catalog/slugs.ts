import { pinyin } from 'pinyin-pro'

/**
 * A URL slug from a product name's pinyin: 定西马铃薯 → dingximalingshu, 高原夏菇(鲜香菇) → gaoyuanxiagu-xianxianggu.
 * Pinyin because buyers type it (search matches it too) and because a Chinese slug turns into %E5… in every link.
 */
export function slugFromName(name: string): string {
  const syllables = pinyin(name, { toneType: 'none', type: 'array', nonZh: 'consecutive', v: true })
  return syllables
    .join('')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .replace(/-{2,}/g, '-')
}

/** The first of slug, slug-2, slug-3 … not in `taken`. */
export function firstFreeSlug(slug: string, taken: ReadonlySet<string>): string {
  if (!taken.has(slug)) return slug
  for (let n = 2; ; n++) if (!taken.has(`${slug}-${n}`)) return `${slug}-${n}`
}
