// Shared between server and browser code (form options), so it must not import db/.
export const productCategories = [
  '粮油',
  '蔬菜',
  '水果',
  '茶叶',
  '食用菌',
  '中药材',
  '畜禽肉蛋',
  '水产',
  '加工食品',
  '花卉苗木',
  '手工艺品',
] as const
export type ProductCategory = (typeof productCategories)[number]

export const productSorts = ['recommended', 'price_asc', 'price_desc', 'newest'] as const
export type ProductSort = (typeof productSorts)[number]
