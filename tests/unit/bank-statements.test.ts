import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  classifyStatement,
  extractReferences,
  guessMapping,
  type PaymentCandidate,
  parseStatementAmount,
  parseStatementDate,
  readStatementLine,
  type StatementLine,
  statementGroups,
} from '../../app/domains/payments/statement-rules'
import { fcParams } from '../support/fast-check'

const referenceArb = fc.stringMatching(/^[0-9]{14}$/).map((digits) => `BT${digits}`)

/** How a payer might write the reference: spaces or dashes inside, lower case, full-width characters. */
const writtenArb = fc
  .tuple(
    referenceArb,
    fc.array(fc.constantFrom('', '', '', ' ', '-', '　'), { minLength: 16, maxLength: 16 }),
    fc.boolean(),
    fc.boolean(),
  )
  .map(([reference, seps, lower, wide]) => {
    let text = [...reference].map((c, i) => (i === 0 ? c : `${seps[i]}${c}`)).join('')
    if (lower) text = text.toLowerCase()
    if (wide) text = text.replace(/[A-Za-z0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0))
    return { reference, text }
  })

/** Text around the reference that holds no digit next to it and no other reference. */
const aroundArb = fc.constantFrom(
  '',
  '货款',
  '付款 ',
  '订单：',
  '转账附言 ',
  '（演示单位）',
  ' 谢谢',
  '支付宝转入 ',
)

describe('bank statement rules', () => {
  it('finds the reference however it is written, wherever it stands in the remark', () => {
    fc.assert(
      fc.property(writtenArb, aroundArb, aroundArb, ({ reference, text }, before, after) => {
        expect(extractReferences(`${before}${text}${after}`)).toEqual([reference])
      }),
      fcParams(),
    )
  })

  it('never reads a reference out of a longer run of digits, and reads an order number as its reference', () => {
    fc.assert(
      fc.property(referenceArb, fc.integer({ min: 0, max: 9 }), (reference, digit) => {
        expect(extractReferences(`${reference}${digit}`)).toEqual([])
        expect(extractReferences(`${digit}${reference}`)).toEqual([])
      }),
      fcParams(),
    )
    expect(extractReferences('订单 XF20261206-000042')).toEqual(['BT20261206000042'])
    expect(extractReferences('BT20261206000042 120元')).toEqual(['BT20261206000042'])
    expect(extractReferences('BT20261206000042和BT20261206000043')).toHaveLength(2)
    expect(extractReferences('往来款')).toEqual([])
  })

  it('reads amounts and dates as banks write them', () => {
    expect(parseStatementAmount('1,234.50')).toBe(123450n)
    expect(parseStatementAmount('-200.00')).toBe(-20000n)
    expect(parseStatementAmount('(200.00)')).toBe(-20000n)
    expect(parseStatementAmount('￥88')).toBe(8800n)
    expect(parseStatementAmount('')).toBe('empty')
    expect(parseStatementAmount('1.234')).toBeNull()
    expect(parseStatementDate('2026-12-05 10:22:33')).toBe('2026-12-05')
    expect(parseStatementDate('2026/12/5')).toBe('2026-12-05')
    expect(parseStatementDate('20261205')).toBe('2026-12-05')
    expect(parseStatementDate('2026年12月5日')).toBe('2026-12-05')
    expect(parseStatementDate('2026-02-30')).toBeNull()
    expect(parseStatementDate('46361')).toBe('2026-12-05')
  })

  it('guesses the columns of common Chinese headers, debit before the looser credit names', () => {
    expect(
      guessMapping(['交易日期', '借方发生额（元）', '贷方发生额（元）', '对方户名', '摘要', '交易流水号']),
    ).toEqual({
      date: 0,
      debit: 1,
      credit: 2,
      payer: 3,
      reference: 4,
      txnId: 5,
    })
    expect(guessMapping(['记账日期', '收入金额', '支出金额', '付款人名称', '用途'])).toEqual({
      date: 0,
      credit: 1,
      debit: 2,
      payer: 3,
      reference: 4,
    })
  })

  it('puts every credit line in exactly one group, matches a payment at most once and only at its exact amount', () => {
    const paymentArb = fc.record({
      amountFen: fc.bigInt({ min: 1n, max: 10_000_000n }),
      status: fc.constantFrom<PaymentCandidate['status']>('pending', 'pending', 'flagged', 'confirmed'),
      orderStatus: fc.constantFrom('pending_payment', 'pending_payment', 'pending_payment', 'cancelled'),
      awaitingAcceptance: fc.constantFrom(false, false, false, true),
    })
    const lineArb = (n: number) =>
      fc.record({
        payment: fc.integer({ min: -1, max: n - 1 }),
        delta: fc.constantFrom(0n, 0n, 0n, -1n, 1n, -100n),
        kind: fc.constantFrom('credit', 'credit', 'credit', 'debit'),
        recorded: fc.boolean(),
      })
    fc.assert(
      fc.property(
        fc
          .array(paymentArb, { minLength: 1, maxLength: 8 })
          .chain((ps) => fc.tuple(fc.constant(ps), fc.array(lineArb(ps.length), { maxLength: 40 }))),
        ([ps, specs]) => {
          const candidates = ps.map((p, i) => ({
            ...p,
            paymentId: `p${i}`,
            reference: `BT${String(20261206000000 + i)}`,
            orderNumber: `XF20261206-${String(i).padStart(6, '0')}`,
          }))
          const read: StatementLine[] = specs.map((s, i) => {
            if (s.kind === 'debit') return { kind: 'debit', line: i + 2, amountFen: 100n }
            const target = s.payment >= 0 ? candidates[s.payment]! : null
            const amountFen = target ? target.amountFen + s.delta : 5000n
            return {
              kind: 'credit',
              line: i + 2,
              bookedOn: '2026-12-06',
              amountFen: amountFen > 0n ? amountFen : 1n,
              memo: target ? target.reference : '往来款',
              payer: '演示',
              txnId: null,
              references: target ? [target.reference] : [],
            }
          })
          const credits = read.filter((l) => l.kind === 'credit')
          const fingerprints = credits.map((_, i) => `f${i}`)
          const recorded = new Set(
            fingerprints.filter((_, i) => specs.filter((s) => s.kind === 'credit')[i]!.recorded),
          )
          const preview = classifyStatement(read, {
            fingerprints,
            payments: new Map(candidates.map((c) => [c.reference, c])),
            recorded,
          })
          // Every credit line in one group; counts and totals add up to the lines.
          expect(preview.lines).toHaveLength(credits.length)
          const total = statementGroups.reduce((s, g) => s + preview.groups[g].count, 0)
          expect(total).toBe(credits.length)
          const fen = statementGroups.reduce((s, g) => s + preview.groups[g].totalFen, 0n)
          expect(fen).toBe(credits.reduce((s, l) => s + l.amountFen, 0n))
          expect(preview.debits.count).toBe(read.length - credits.length)
          // Matched: exact amount, a waiting payment, not recorded before, each payment once.
          const matched = preview.lines.filter((l) => l.group === 'matched')
          expect(new Set(matched.map((l) => l.payment!.paymentId)).size).toBe(matched.length)
          for (const l of matched) {
            expect(l.amountFen).toBe(l.payment!.amountFen)
            expect(l.payment!.status).not.toBe('confirmed')
            expect(l.payment!.orderStatus).toBe('pending_payment')
            expect(l.payment!.awaitingAcceptance).toBe(false)
            expect(recorded.has(l.fingerprint)).toBe(false)
          }
          // Every waiting payment with an exact, new line is matched.
          for (const c of candidates) {
            if (c.status === 'confirmed' || c.orderStatus !== 'pending_payment' || c.awaitingAcceptance)
              continue
            const exact = preview.lines.some(
              (l) =>
                l.payment?.paymentId === c.paymentId &&
                l.amountFen === c.amountFen &&
                !recorded.has(l.fingerprint),
            )
            expect(matched.some((l) => l.payment!.paymentId === c.paymentId)).toBe(exact)
          }
        },
      ),
      fcParams(),
    )
  })

  it('reads a line with a mapping: credits, debits, a signed amount column, totals rows', () => {
    const mapping = { date: 0, credit: 1, debit: 2, reference: 3, payer: 4 }
    expect(
      readStatementLine(
        { line: 2, cells: ['2026-12-05', '100.00', '', 'BT20261205000001', '王五'] },
        mapping,
      ),
    ).toMatchObject({
      kind: 'credit',
      amountFen: 10000n,
      references: ['BT20261205000001'],
    })
    expect(readStatementLine({ line: 3, cells: ['2026-12-05', '', '50.00', '货款', ''] }, mapping)).toEqual({
      kind: 'debit',
      line: 3,
      amountFen: 5000n,
    })
    expect(
      readStatementLine(
        { line: 4, cells: ['2026-12-05', '-50.00', '', '货款', ''] },
        { date: 0, credit: 1, reference: 3 },
      ),
    ).toEqual({ kind: 'debit', line: 4, amountFen: 5000n })
    expect(readStatementLine({ line: 5, cells: ['合计', '150.00', '50.00', '', ''] }, mapping)).toEqual({
      kind: 'ignored',
      line: 5,
    })
    expect(readStatementLine({ line: 6, cells: ['昨天', '1.00', '', '', ''] }, mapping)).toEqual({
      kind: 'unreadable',
      line: 6,
      problem: 'date',
    })
    expect(readStatementLine({ line: 7, cells: ['2026-12-05', '1.2.3', '', '', ''] }, mapping)).toEqual({
      kind: 'unreadable',
      line: 7,
      problem: 'amount',
    })
  })
})
