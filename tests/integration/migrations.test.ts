import fs from 'node:fs'
import { sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { queryRows } from '../../db/client.server'
import { rollupMismatches } from '../../app/domains/ledger/verify.server'
import { migrateDatabase } from '../../db/migrate.server'
import { refundRemaining } from '../../app/domains/payments/refunds.server'
import { fixedClock } from '../../app/utils/clock'
import { buy, demoFinance, makeBuyable } from '../support/shopping'
import { SEED_NOW } from '../support/test-clock'
import { openTestDatabase, testDbKind } from '../support/db'

const expectedTables = [
  'acceptance_lines',
  'acceptances',
  'aid_buyer_rollups',
  'aid_entries',
  'aid_product_rollups',
  'aid_rollups',
  'audit_events',
  // Bank statement import (issue 18 item 5).
  'bank_statement_imports',
  'bank_statement_layouts',
  'bank_statement_lines',
  'bases',
  'cart_items',
  'carts',
  'certifications',
  'chain_heads',
  'disputes',
  'external_purchases',
  'files',
  'household_credits',
  'households',
  'import_jobs',
  'invitations',
  // Office dashboard II (decision 024).
  'ledger_published_heads',
  'login_throttles',
  'memberships',
  'notifications',
  'order_lines',
  'orders',
  'organizations',
  'outbound_messages',
  'outbox',
  'pairings',
  'password_resets',
  'payment_events',
  'payments',
  'price_tiers',
  'proceeds_rule_changes',
  'proceeds_rules',
  'procurement_plans',
  'product_beneficiaries',
  'product_photos',
  'products',
  'refund_requests',
  'refunds',
  'regions',
  'requisition_events',
  'requisition_lines',
  'requisitions',
  'seller_orders',
  'sessions',
  'stock_movements',
  'target_reach',
  'target_tallies',
  'target_tally_heads',
  'targets',
  'unit_payment_terms',
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

  it('0008 starts the product rollups from the entries already in the ledger', async () => {
    const handle = await openTestDatabase('seeded')
    await makeBuyable(handle.db, ['PRD005', 'PRD006', 'PRD007'])
    await buy(handle.db, { lines: [['PRD005', 3]] })
    await buy(handle.db, {
      lines: [
        ['PRD006', 1],
        ['PRD007', 2],
      ],
    })
    const sold = await buy(handle.db, { lines: [['PRD005', 2]] })
    await refundRemaining(
      handle.db,
      { paymentId: sold.paymentId, financeUserId: demoFinance },
      fixedClock(SEED_NOW),
    )
    const migration = fs.readFileSync(
      new URL('../../db/migrations/0008_cooperative_console.sql', import.meta.url),
      'utf8',
    )
    const backfill = migration
      .split('--> statement-breakpoint')
      .find((statement) => statement.includes('INSERT INTO "aid_product_rollups"'))
    expect(backfill).toBeDefined()
    // As on a database upgraded from 0007: no product rollups yet, then the migration's own statement.
    await handle.db.execute(sql`delete from aid_product_rollups`)
    expect(await rollupMismatches(handle.db)).toBeGreaterThan(0)
    await handle.db.execute(sql.raw(backfill!))
    expect(await rollupMismatches(handle.db)).toBe(0)
  })
})
