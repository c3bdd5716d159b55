import { createHash } from 'node:crypto'
import { makeUscc } from '../../app/utils/uscc'

/**
 * Deterministic building blocks for synthetic demo records: the same seed run twice, or an interrupted run
 * resumed, must produce identical rows (ids included), so everything derives from stable keys.
 */

/** A UUID (version-5 layout) derived from a stable key, so seeded rows keep their ids across runs. */
export function seedUuid(key: string): string {
  const hex = createHash('sha1').update(`xfbf-seed:${key}`).digest('hex')
  const variant = ((parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(18, 20)}-${hex.slice(20, 32)}`
}

/** A small seeded PRNG (mulberry32); Math.random would make every run differ. */
export function seededRandom(key: string): () => number {
  let state = createHash('sha1').update(key).digest().readUInt32LE(0)
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export function pick<T>(random: () => number, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)]
  if (item === undefined) throw new RangeError('pick from an empty list')
  return item
}

export function intBetween(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1))
}

// Common surnames and given-name characters, combined at random and masked the way rosters are shown
// (王*华): the result names nobody in particular.
const SURNAMES =
  '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段漕钱汤尹黎易常武乔贺赖龚文'
const GIVEN = '华明军平英芳兰秀霞红玉梅丽强伟刚勇杰涛斌福贵禄海山林春生荣兴旺发全有富顺德安'

export function maskedName(random: () => number): string {
  return `${pick(random, [...SURNAMES])}*${pick(random, [...GIVEN])}`
}

/** What a demo cooperative of one kind of produce is called after (岷县 + 中药材种植 + 农民专业合作社). */
const COOP_THEMES: Record<string, string> = {
  中药材: '中药材种植',
  加工食品: '特色食品加工',
  手工艺品: '传统手工艺',
  水产: '生态渔业',
  水果: '果业',
  畜禽肉蛋: '生态养殖',
  粮油: '粮油种植',
  花卉苗木: '花卉苗木',
  茶叶: '茶叶',
  蔬菜: '蔬菜种植',
  食用菌: '食用菌',
}

/**
 * A demo cooperative's name says what it sells: the one kind of produce it sells (processed food made from it does
 * not change that — 杨梅 and 杨梅干 are one 果业), or, when it sells several kinds, 农特产品 (handicrafts among
 * them: 特色产品). 高原蔬菜 only on the 黄土高原 of 定西 (62xxxx).
 */
export function cooperativeTheme(categories: readonly string[], countyCode: string): string {
  const kinds = [...new Set(categories)]
  const produce = kinds.filter((c) => c !== '加工食品')
  if (produce.length === 0) return COOP_THEMES['加工食品']!
  if (produce.length === 1) {
    const kind = produce[0]!
    if (kind === '蔬菜' && countyCode.startsWith('62')) return '高原蔬菜'
    // Handicrafts are not processed from food: with processed food beside them the cooperative sells two things.
    if (kind === '手工艺品' && kinds.includes('加工食品')) return '特色产品'
    return COOP_THEMES[kind] ?? '农特产品'
  }
  return kinds.includes('手工艺品') ? '特色产品' : '农特产品'
}

/** A valid (check digit and all) but made-up unified social credit code for a synthetic organisation. */
export function syntheticUscc(key: string, kindDigits: string, regionCode: string): string {
  const random = seededRandom(`uscc:${key}`)
  const body = Array.from({ length: 8 }, () => String(intBetween(random, 0, 9))).join('')
  return makeUscc({ authority: kindDigits[0] ?? '9', kind: kindDigits[1] ?? '3', regionCode, orgBody8: body })
}
