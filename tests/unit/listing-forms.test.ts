import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { certificationSchema } from '../../app/domains/catalog/certification-forms'
import { fieldPath, parseForm } from '../../app/domains/catalog/form-fields'
import {
  listingSchema,
  needsPriceReview,
  newListingSchema,
  rejectionReasonSchema,
  tierIssues,
  yuanInput,
} from '../../app/domains/catalog/listing-forms'
import { stockAdjustmentSchema } from '../../app/domains/catalog/stock-forms'
import { isLowStock, lowStockThreshold } from '../../app/domains/coop/rules'
import { translate } from '../../app/utils/i18n.server'
import { parseYuan } from '../../app/utils/money'
import { fcParams } from '../support/fast-check'

const form = (overrides: Record<string, unknown> = {}) => ({
  name: '岷县当归片',
  category: '中药材',
  originCode: '621126',
  unit: '袋',
  price: '28.50',
  stock: '100',
  minOrderQty: '1',
  sku: 'mx-001',
  description: '',
  baseId: '',
  tiers: [],
  ...overrides,
})

const errorsOf = (input: Record<string, unknown>) => {
  const parsed = parseForm(newListingSchema, input)
  return parsed.ok ? {} : parsed.errors
}

describe('the listing form', () => {
  it('parses a valid listing: fen from yuan text, SKU in uppercase, blank tier rows dropped', () => {
    const parsed = parseForm(
      newListingSchema,
      form({
        tiers: [
          { minQty: '10', unitPrice: '26' },
          { minQty: '', unitPrice: '' },
          { minQty: '50', unitPrice: '25.5' },
        ],
      }),
    )
    expect(parsed).toEqual({
      ok: true,
      data: expect.objectContaining({
        price: 2850n,
        stock: 100,
        minOrderQty: 1,
        sku: 'MX-001',
        baseId: null,
        tiers: [
          { minQty: 10, unitPrice: 2600n },
          { minQty: 50, unitPrice: 2550n },
        ],
      }),
    })
  })

  it.each([
    ['12.5', 1250n],
    ['0.01', 1n],
    ['1,280', 128000n],
    ['¥88', 8800n],
    [' 100.00 ', 10000n],
    ['1000000', 100000000n],
  ])('reads the price %j as %s fen', (price, fen) => {
    const parsed = parseForm(newListingSchema, form({ price }))
    expect(parsed.ok && parsed.data.price).toBe(fen)
  })

  it.each([
    ['1e3', 'listing.error.price.invalid'],
    ['-1', 'listing.error.price.invalid'],
    ['12.345', 'listing.error.price.invalid'],
    ['12,34', 'listing.error.price.invalid'],
    ['abc', 'listing.error.price.invalid'],
    ['0x10', 'listing.error.price.invalid'],
    ['Infinity', 'listing.error.price.invalid'],
    ['0', 'listing.error.price.range'],
    ['0.00', 'listing.error.price.range'],
    ['1000000.01', 'listing.error.price.range'],
    ['', 'listing.error.price.required'],
    ['   ', 'listing.error.price.required'],
    [12.5, 'listing.error.price.invalid'],
    ['12\u00005', 'form.controlCharacters'],
  ])('refuses the price %j with %s next to the field', (price, message) => {
    expect(errorsOf(form({ price }))).toEqual({ price: [message] })
  })

  it('never reads a price through a float: any yuan text with two decimals is exact', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 100_000_000n }), (fen) => {
        const parsed = parseForm(newListingSchema, form({ price: yuanInput(fen) }))
        expect(parsed.ok && parsed.data.price).toBe(fen)
        expect(parseYuan(yuanInput(fen))).toBe(fen)
      }),
      fcParams(),
    )
  })

  it.each([
    [{ stock: '-1' }, { stock: ['listing.error.stock.invalid'] }],
    [{ stock: '1.5' }, { stock: ['listing.error.stock.invalid'] }],
    [{ stock: '1e3' }, { stock: ['listing.error.stock.invalid'] }],
    [{ stock: '1000001' }, { stock: ['listing.error.stock.range'] }],
    [{ stock: '99999999999999999999' }, { stock: ['listing.error.stock.range'] }],
    [{ stock: '' }, { stock: ['listing.error.stock.required'] }],
    [{ minOrderQty: '0' }, { minOrderQty: ['listing.error.minOrderQty.range'] }],
    [{ name: 'A' }, { name: ['listing.error.name.length'] }],
    [{ name: '  ' }, { name: ['listing.error.name.required'] }],
    [{ category: '电子产品' }, { category: ['listing.error.category.required'] }],
    [{ originCode: '62112' }, { originCode: ['listing.error.origin.unknown'] }],
    [{ originCode: '' }, { originCode: ['listing.error.origin.required'] }],
    [{ unit: '' }, { unit: ['listing.error.unit.required'] }],
    [{ sku: '' }, { sku: ['listing.error.sku.required'] }],
    [{ sku: 'A' }, { sku: ['listing.error.sku.format'] }],
    [{ sku: 'PRD 001' }, { sku: ['listing.error.sku.format'] }],
    [{ sku: '-PRD' }, { sku: ['listing.error.sku.format'] }],
    [{ baseId: 'not-an-id' }, { baseId: ['listing.error.base.unknown'] }],
    [{ description: 'x'.repeat(2001) }, { description: ['listing.error.description.tooLong'] }],
  ])('refuses %j', (overrides, errors) => {
    expect(errorsOf(form(overrides))).toEqual(errors)
  })

  it('keeps line breaks in the description, and refuses other control characters there', () => {
    const parsed = parseForm(newListingSchema, form({ description: '第一行\r\n第二行\t!' }))
    expect(parsed.ok && parsed.data.description).toBe('第一行\r\n第二行\t!')
    expect(errorsOf(form({ description: 'a\u001bb' }))).toEqual({ description: ['form.controlCharacters'] })
  })

  it('the edit form has no stock: stock changes only through adjustments', () => {
    const parsed = parseForm(listingSchema, form({ stock: 'anything' }))
    expect(parsed.ok && 'stock' in parsed.data).toBe(false)
  })
})

describe('volume tiers', () => {
  const tiers = (...rows: Array<[string, string]>) =>
    rows.map(([minQty, unitPrice]) => ({ minQty, unitPrice }))

  it('accept quantities strictly increasing and prices never increasing, each at most the base price', () => {
    expect(errorsOf(form({ price: '30', tiers: tiers(['2', '30'], ['10', '28'], ['50', '28']) }))).toEqual({})
  })

  it.each([
    ['a first tier from 1', tiers(['1', '25']), { 'tiers[0].minQty': ['listing.error.tier.minQty.range'] }],
    [
      'quantities not increasing',
      tiers(['10', '25'], ['10', '24']),
      { 'tiers[1].minQty': ['listing.error.tier.minQty.order'] },
    ],
    [
      'quantities decreasing',
      tiers(['50', '25'], ['10', '24']),
      { 'tiers[1].minQty': ['listing.error.tier.minQty.order'] },
    ],
    [
      'a price going up',
      tiers(['10', '25'], ['50', '26']),
      { 'tiers[1].unitPrice': ['listing.error.tier.price.order'] },
    ],
    [
      'a tier above the base price',
      tiers(['10', '30.01']),
      { 'tiers[0].unitPrice': ['listing.error.tier.price.aboveBase'] },
    ],
    [
      'a tier price of 1e3',
      tiers(['10', '1e3']),
      { 'tiers[0].unitPrice': ['listing.error.tier.price.invalid'] },
    ],
    [
      'a tier without a price',
      tiers(['10', '']),
      { 'tiers[0].unitPrice': ['listing.error.tier.price.required'] },
    ],
    [
      'six tiers',
      tiers(['2', '30'], ['3', '29'], ['4', '28'], ['5', '27'], ['6', '26'], ['7', '25']),
      { tiers: ['listing.error.tiers.tooMany'] },
    ],
  ])('refuse %s', (_, rows, errors) => {
    expect(errorsOf(form({ price: '30', tiers: rows }))).toEqual(errors)
  })

  it('are only compared once each field is valid (one error per problem)', () => {
    expect(errorsOf(form({ price: 'x', tiers: tiers(['10', '99']) }))).toEqual({
      price: ['listing.error.price.invalid'],
    })
  })

  it('tierIssues agrees with a direct reading of the rules', () => {
    const tier = fc.record({
      minQty: fc.integer({ min: 2, max: 60 }),
      unitPrice: fc.bigInt({ min: 1n, max: 40n }),
    })
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 40n }), fc.array(tier, { maxLength: 5 }), (base, rows) => {
        const ok =
          rows.every((t) => t.unitPrice <= base) &&
          rows.every(
            (t, i) => i === 0 || (t.minQty > rows[i - 1]!.minQty && t.unitPrice <= rows[i - 1]!.unitPrice),
          )
        expect(tierIssues(base, rows).length === 0).toBe(ok)
      }),
      fcParams(),
    )
  })
})

describe('the 30% price rule', () => {
  it.each([
    [10000n, 13000n, false],
    [10000n, 13001n, true],
    [10000n, 7000n, false],
    [10000n, 6999n, true],
    // ¥100.00 → ¥130.01 is 30.01%.
    [10000n, 13001n, true],
    [3n, 3n, false],
    [1000n, 1300n, false],
    [1000n, 1301n, true],
  ])('approved %s fen → %s fen: review again = %s', (approved, price, expected) => {
    expect(needsPriceReview(approved, price)).toBe(expected)
  })

  it('a listing never approved has no approved price to move from', () => {
    expect(needsPriceReview(null, 1n)).toBe(false)
  })
})

describe('other console forms', () => {
  it('a rejection needs a reason of 2–200 characters', () => {
    expect(parseForm(rejectionReasonSchema, { reason: '图' }).ok).toBe(false)
    expect(parseForm(rejectionReasonSchema, { reason: '图片与商品不符' }).ok).toBe(true)
    expect(parseForm(rejectionReasonSchema, { reason: 'x'.repeat(201) })).toEqual({
      ok: false,
      errors: { reason: ['listing.error.reason.length'] },
    })
  })

  it.each([
    [{ kind: 'restock', quantity: '5' }, true],
    [{ kind: 'stocktake', quantity: '0' }, true],
    [{ kind: 'restock', quantity: '0' }, false],
    [{ kind: 'loss', quantity: '-3' }, false],
    [{ kind: 'sale', quantity: '3' }, false],
    [{ kind: 'loss', quantity: '3', note: '运输破损' }, true],
  ])('a stock adjustment %j is valid: %s', (input, valid) => {
    expect(parseForm(stockAdjustmentSchema, input).ok).toBe(valid)
  })

  it('a certification: real dates, the end not before the start, a stored file key or none', () => {
    const cert = {
      body: '岷县乡村振兴局',
      number: 'MX-2026-001',
      validFrom: '2026-01-01',
      validUntil: '2026-12-31',
      reliefMode: '经营性',
      evidenceFile: '',
    }
    expect(parseForm(certificationSchema, cert)).toEqual({ ok: true, data: { ...cert, evidenceFile: null } })
    expect(parseForm(certificationSchema, { ...cert, validUntil: '2025-12-31' })).toEqual({
      ok: false,
      errors: { validUntil: ['cert.error.validUntil.beforeFrom'] },
    })
    expect(parseForm(certificationSchema, { ...cert, validFrom: '2026-02-30' })).toEqual({
      ok: false,
      errors: { validFrom: ['cert.error.date.invalid'] },
    })
    expect(parseForm(certificationSchema, { ...cert, reliefMode: '订单收购' })).toEqual({
      ok: false,
      errors: { reliefMode: ['cert.error.reliefMode.required'] },
    })
    expect(parseForm(certificationSchema, { ...cert, evidenceFile: '../../etc/passwd' })).toEqual({
      ok: false,
      errors: { evidenceFile: ['cert.error.evidence.unknown'] },
    })
  })

  it('every message a form can give exists in both languages', () => {
    const keys = [
      'listing.error.price.invalid',
      'listing.error.tier.price.aboveBase',
      'stock.error.quantity.range',
      'cert.error.validUntil.beforeFrom',
    ] as const
    for (const key of keys) {
      expect(translate('zh', key)).not.toBe(translate('en', key))
      expect(translate('zh', key)).toMatch(/[\u4e00-\u9fff]/)
    }
  })

  it('names nested fields as conform does', () => {
    expect(fieldPath(['tiers', 1, 'unitPrice'])).toBe('tiers[1].unitPrice')
    expect(fieldPath(['price'])).toBe('price')
  })
})

describe('low stock', () => {
  it('is below three minimum orders, and never below 10', () => {
    expect(lowStockThreshold(1)).toBe(10)
    expect(lowStockThreshold(4)).toBe(12)
    expect(isLowStock(9, 1)).toBe(true)
    expect(isLowStock(10, 1)).toBe(false)
    expect(isLowStock(59, 20)).toBe(true)
    expect(isLowStock(60, 20)).toBe(false)
  })
})
