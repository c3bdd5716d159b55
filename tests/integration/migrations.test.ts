import { sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { queryRows } from '../../db/client.server'
import { migrateDatabase } from '../../db/migrate.server'
import { openTestDatabase, testDbKind } from '../support/db'

const expectedTables = [
  'aid_entries',
  'aid_rollups',
  'audit_events',
  'bases',
  'cart_items',
  'carts',
  'certifications',
  'chain_heads',
  'household_credits',
  'households',
  'invitations',
  'login_throttles',
  'memberships',
  'order_lines',
  'orders',
  'organizations',
  'outbox',
  'pairings',
  'payment_events',
  'payments',
  'price_tiers',
  'proceeds_rules',
  'product_beneficiaries',
  'products',
  'refunds',
  'regions',
  'seller_orders',
  'sessions',
  'target_reach',
  'targets',
  'users',
]

async function publicTables(handle: Awaited<ReturnType<typeof openTestDatabase>>) {
  const rows = await queryRows<{ table_name: string }>(
    handle.db,
    sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
  )
  return rows.map((r) => r.table_name)
}

describe(`migrations (${testDbKind()})`, () => {
  it('build every table from an empty database, and a second run changes nothing', async () => {
    const handle = await openTestDatabase('empty')
    expect(await publicTables(handle)).toEqual([])
    await migrateDatabase(handle)
    expect(await publicTables(handle)).toEqual(expectedTables)
    const [before] = await queryRows<{ n: unknown }>(
      handle.db,
      sql`select count(*) as n from drizzle.__drizzle_migrations`,
    )
    await migrateDatabase(handle)
    const [after] = await queryRows<{ n: unknown }>(
      handle.db,
      sql`select count(*) as n from drizzle.__drizzle_migrations`,
    )
    expect(Number(after?.n)).toBe(Number(before?.n))
    expect(Number(after?.n)).toBeGreaterThan(0)
  })

  it('enforce the money and stock rules in the database itself', async () => {
    const handle = await openTestDatabase('seeded')
    const [product] = await queryRows<{ id: string }>(
      handle.db,
      sql`select id from products order by sku limit 1`,
    )
    await expect(
      handle.db.execute(sql`update products set stock = -1 where id = ${product?.id}`),
    ).rejects.toThrow()
    await expect(
      handle.db.execute(sql`update products set price_fen = 0 where id = ${product?.id}`),
    ).rejects.toThrow()
    await expect(
      handle.db.execute(
        sql`update proceeds_rules set kind = 'basis_points', basis_points = 10001, fen_per_unit = null
            where product_id = ${product?.id}`,
      ),
    ).rejects.toThrow()
  })
})
