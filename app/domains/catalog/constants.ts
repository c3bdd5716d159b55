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

/** Why stock changed by hand: 入库, 盘点, 损耗 (the stock_movements kinds; orders move stock themselves). */
export const stockAdjustmentKinds = ['restock', 'stocktake', 'loss'] as const
export type StockAdjustmentKind = (typeof stockAdjustmentKinds)[number]

/** 带贫方式 printed on 帮扶产品 certificates (the certifications' relief_mode). */
export const reliefModes = ['工资性', '资产性', '经营性'] as const
export type ReliefMode = (typeof reliefModes)[number]

/** Where goods are grown or made (the bases' kinds). */
export const baseKinds = ['帮扶基地', '帮扶车间'] as const
export type BaseKind = (typeof baseKinds)[number]
