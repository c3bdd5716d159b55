import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { changeCart } from '../../app/domains/orders/cart.server'
import { checkoutCart } from '../../app/domains/orders/checkout.server'
import { confirmBankTransfer } from '../../app/domains/payments/finance.server'
import { loader as headApi } from '../../app/routes/api.v1.ledger.head'
import { loader as targetApi } from '../../app/routes/api.v1.targets.$id'
import { action as targetsAction, loader as targetsApi } from '../../app/routes/api.v1.targets._index'
import { bankTransfer } from '../../app/domains/payments/methods.server'
import { fixedClock, shanghaiToday } from '../../app/utils/clock'
import { type Db, useSharedDb } from '../../db/client.server'
import { products } from '../../db/schema/catalog'
import { payments } from '../../db/schema/orders'
import { seedUuid } from '../../db/seed/synthetic'
import { testContext } from '../support/context'
import { openTestDatabase, testDbKind } from '../support/db'

type Target = {
  id: string
  key: string
  kind: string
  goal: string
  progress: { state: string; achieved?: string }
  reach: { households: number; people: number } | null
}

const consumer = seedUuid('user:consumer@demo.example')
const finance = seedUuid('user:finance@demo.example')
let db: Db

beforeAll(async () => {
  const handle = await openTestDatabase('seeded')
  useSharedDb(handle)
  db = handle.db
})

const call = async (loader: typeof targetsApi, path: string, params: Record<string, string> = {}) => {
  const response = await loader({
    request: new Request(`http://localhost${path}`),
    params,
    context: testContext(),
  })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

async function fuzhouBuysDingxi(amountQty: number): Promise<bigint> {
  // Today's clock: the demo targets run in the current year, and the API reads them today.
  const clock = fixedClock(new Date())
  const productId = seedUuid('product:PRD005')
  await db
    .update(products)
    .set({ stock: 1000, minOrderQty: 1, status: 'active' })
    .where(eq(products.id, productId))
  expect((await changeCart(db, { userId: consumer }, { kind: 'add', productId, qty: amountQty })).ok).toBe(
    true,
  )
  const method = bankTransfer({
    account: { accountName: '测试', bankName: '测试银行', accountNumber: '0000', demo: true },
    windowHours: 72,
  })
  const placed = await checkoutCart(
    db,
    {
      userId: consumer,
      form: {
        recipient: '演示',
        phone: '13800000000',
        regionCode: '350102',
        address: '演示路 1 号',
        invoiceKind: 'none',
      },
    },
    clock,
    method,
  )
  if (!placed.ok) throw new Error(JSON.stringify(placed))
  const [payment] = await db.select().from(payments).where(eq(payments.orderId, placed.orderId))
  const confirmed = await confirmBankTransfer(
    db,
    { paymentId: payment!.id, receivedFen: payment!.amountFen, financeUserId: finance },
    clock,
  )
  expect(confirmed.ok).toBe(true)
  return payment!.amountFen
}

describe(`targets and ledger head API (${testDbKind()})`, () => {
  it('lists targets with progress that grows by a counted sale, with reach; reference targets stay uncounted', async () => {
    const before = (await call(targetsApi, '/api/v1/targets')).body.items as Target[]
    const fuzhou = before.find((t) => t.kind === 'demo' && t.key.includes('fz'))
    expect(fuzhou, JSON.stringify(before.map((t) => t.key))).toBeDefined()
    expect(
      before.filter((t) => t.kind === 'reference').every((t) => t.progress.state === 'unavailable'),
    ).toBe(true)
    const paid = await fuzhouBuysDingxi(2)
    const after = (await call(targetsApi, '/api/v1/targets')).body.items as Target[]
    const grown = after.find((t) => t.id === fuzhou!.id)!
    expect(BigInt(grown.progress.achieved!) - BigInt(fuzhou!.progress.achieved!)).toBe(paid)
    expect(grown.reach!.households).toBeGreaterThan(0)
    expect(grown.reach!.people).toBeGreaterThanOrEqual(grown.reach!.households)
  })

  it('gives one target in detail with breakdowns and a forecast, and 404 for an unknown id', async () => {
    const list = (await call(targetsApi, '/api/v1/targets')).body.items as Target[]
    const fuzhou = list.find((t) => t.kind === 'demo' && t.key.includes('fz'))!
    const { status, body } = await call(targetApi, `/api/v1/targets/${fuzhou.id}`, { id: fuzhou.id })
    expect(status).toBe(200)
    const breakdown = body.breakdown as {
      byHelpedRegion: Array<{ key: string; label: string; amountFen: string }>
    }
    // The sale above came from 安定区; every row is named, largest first.
    expect(breakdown.byHelpedRegion.find((r) => r.key === '621102')).toMatchObject({ label: '安定区' })
    expect(breakdown.byHelpedRegion.every((r) => r.key.startsWith('6211') && r.label !== r.key)).toBe(true)
    const amounts = breakdown.byHelpedRegion.map((r) => BigInt(r.amountFen))
    expect(amounts).toEqual([...amounts].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0)))
    expect(body.forecast).toMatchObject({ state: 'projected' })
    expect(shanghaiToday() >= (body.periodStart as string)).toBe(true)
    const missing = await call(targetApi, '/api/v1/targets/x', { id: 'x' })
    expect(missing.status).toBe(404)
    expect(missing.body).toEqual({ error: { param: 'id', message: 'no target with this id' } })
  })

  it('publishes the ledger head and refuses writes', async () => {
    const { body } = await call(headApi, '/api/v1/ledger/head')
    expect(body.seq).toBeGreaterThan(0)
    expect(body.hash).toMatch(/^[0-9a-f]{64}$/)
    const write = await targetsAction({
      request: new Request('http://localhost/api/v1/targets', { method: 'POST' }),
      params: {},
      context: testContext(),
    })
    expect(write.status).toBe(405)
  })
})
