import { describe, expect, it } from 'vitest'
import { cooperativeTheme } from '../../db/seed/synthetic'

describe('demo cooperatives are named after what they sell', () => {
  it('names a cooperative of one kind of produce after it, processed food made from it included', () => {
    expect(cooperativeTheme(['中药材', '中药材'], '621126')).toBe('中药材种植')
    expect(cooperativeTheme(['水果', '加工食品'], '331024')).toBe('果业')
    expect(cooperativeTheme(['加工食品'], '330881')).toBe('特色食品加工')
    expect(cooperativeTheme(['手工艺品', '手工艺品'], '331181')).toBe('传统手工艺')
  })

  it('says 高原蔬菜 only on the plateau of 定西', () => {
    expect(cooperativeTheme(['蔬菜', '加工食品'], '621102')).toBe('高原蔬菜')
    expect(cooperativeTheme(['蔬菜'], '433130')).toBe('蔬菜种植')
  })

  it('never names a seller of beef after flowers: several kinds of produce make a 农特产品 cooperative', () => {
    expect(cooperativeTheme(['花卉苗木', '畜禽肉蛋'], '621125')).toBe('农特产品')
    expect(cooperativeTheme(['中药材', '加工食品', '畜禽肉蛋'], '621126')).toBe('农特产品')
    expect(cooperativeTheme(['水果', '加工食品', '手工艺品', '畜禽肉蛋'], '433124')).toBe('特色产品')
    expect(cooperativeTheme(['手工艺品', '加工食品'], '433124')).toBe('特色产品')
  })
})
