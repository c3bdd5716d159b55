import { randomUUID } from 'node:crypto'
import type { Role } from '../../db/schema/accounts'
import { users } from '../../db/schema/accounts'
import { memberships } from '../../db/schema/memberships'
import { type OrganizationKind, organizations } from '../../db/schema/organizations'
import type { Db } from '../../db/client.server'
import { seedUuid } from '../../db/seed/synthetic'

/** The seeded demo world the cooperative console tests act in (db/seed: ids derive from stable keys). */
export const demo = {
  /** 岷县农特产品农民专业合作社（演示）, region 621126 岷县; admitted; PRD030–PRD033. */
  minxian: seedUuid('coop:621126:1'),
  coopAdmin: seedUuid('user:coop@minxian.demo.example'),
  coopStaff: seedUuid('user:coop-staff@minxian.demo.example'),
  /** 安定区农特产品农民专业合作社（演示）, region 621102; PRD001, PRD003, PRD005, PRD007. */
  anding: seedUuid('coop:621102:1'),
  /** 福州市东西部协作工作机构（演示）, jurisdiction 福州市 350100 ∪ 定西市 621100. */
  office: seedUuid('org:fuzhou-office'),
  officeAdmin: seedUuid('user:office-admin@fuzhou.demo.example'),
  officeAnalyst: seedUuid('user:office@fuzhou.demo.example'),
  platform: seedUuid('org:platform'),
  platformAdmin: seedUuid('user:admin@demo.example'),
  finance: seedUuid('user:finance@demo.example'),
  consumer: seedUuid('user:consumer@demo.example'),
} as const

export const productId = (sku: string) => seedUuid(`product:${sku}`)

/** A user of the test's own, with no membership yet. */
export async function makeUser(db: Db, name = '测试用户'): Promise<string> {
  const id = randomUUID()
  await db.insert(users).values({
    id,
    email: `t-${id}@test.example`,
    displayName: name,
    passwordHash: 'not-a-real-hash',
  })
  return id
}

/** An organisation of the test's own and a member of it in `role` (a cooperative admin unless told otherwise). */
export async function makeOrganization(
  db: Db,
  options: {
    regionCode: string
    kind?: OrganizationKind
    role?: Role
    verified?: boolean
    admitted?: boolean
    jurisdiction?: string[]
  },
): Promise<{ orgId: string; userId: string }> {
  const orgId = randomUUID()
  const now = new Date('2026-01-01T00:00:00Z')
  await db.insert(organizations).values({
    id: orgId,
    kind: options.kind ?? 'cooperative',
    name: `测试组织 ${orgId.slice(0, 8)}`,
    regionCode: options.regionCode,
    jurisdiction: options.jurisdiction ?? [],
    verifiedAt: options.verified === false ? null : now,
    sellerRecommendedAt: options.admitted ? now : null,
    sellerVerifiedAt: options.admitted ? now : null,
  })
  const userId = await makeUser(db)
  await db.insert(memberships).values({ userId, orgId, role: options.role ?? 'coop_admin' })
  return { orgId, userId }
}

/** A valid listing form as a browser would post it (every value text); override what a test is about. */
export function listingForm(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: '岷县当归片',
    category: '中药材',
    originCode: '621126',
    unit: '袋',
    price: '28.50',
    stock: '100',
    minOrderQty: '1',
    sku: `MX-${randomUUID().slice(0, 8)}`,
    description: '岷县当归，切片晒干。\n每袋 250 克。',
    baseId: '',
    tiers: [],
    ...overrides,
  }
}
