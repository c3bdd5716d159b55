import { and, asc, eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { createListing, submitListing } from '../../app/domains/catalog/index.server'
import {
  listSuppliersAwaitingRecommendation,
  listSuppliersAwaitingVerification,
  recommendSupplier,
  verifySupplier,
} from '../../app/domains/organizations/index.server'
import type { Clock } from '../../app/utils/clock'
import type { Db } from '../../db/client.server'
import { auditEvents } from '../../db/schema/audit'
import { organizations } from '../../db/schema/organizations'
import { demo, listingForm, makeOrganization } from '../support/coop'
import { openTestDatabase, testDbKind } from '../support/db'
import { SEED_NOW } from '../support/test-clock'

let db: Db
let time = SEED_NOW.getTime()
const clock: Clock = { now: () => new Date((time += 1000)) }
const office = { userId: demo.officeAdmin, orgId: demo.office }
const platform = { userId: demo.platformAdmin, orgId: demo.platform }

beforeAll(async () => {
  db = (await openTestDatabase('seeded', { poolSize: 6 })).db
})

async function admission(orgId: string) {
  const [row] = await db
    .select({
      recommendedAt: organizations.sellerRecommendedAt,
      recommendedBy: organizations.sellerRecommendedBy,
      recommendingOrg: organizations.sellerRecommendingOrg,
      verifiedAt: organizations.sellerVerifiedAt,
      verifiedBy: organizations.sellerVerifiedBy,
    })
    .from(organizations)
    .where(eq(organizations.id, orgId))
  return row!
}

describe(`supplier admission (${testDbKind()})`, () => {
  it('a county office recommends, then a platform admin verifies; only then may the cooperative submit', async () => {
    const coop = await makeOrganization(db, { regionCode: '621126' })
    const actor = { orgId: coop.orgId, actorUserId: coop.userId }
    const draft = await createListing(db, { ...actor, form: listingForm() }, clock)
    if (!draft.ok) throw new Error('create failed')
    expect(await submitListing(db, { ...actor, productId: draft.productId }, clock)).toEqual({
      ok: false,
      error: 'not_admitted',
    })

    const awaiting = await listSuppliersAwaitingRecommendation(db, office)
    expect(awaiting.map((s) => s.orgId)).toContain(coop.orgId)
    expect(awaiting.find((s) => s.orgId === coop.orgId)).toMatchObject({
      kind: 'cooperative',
      regionName: '甘肃省 定西市 岷县',
      recommendedAt: null,
    })
    // The seeded cooperatives were admitted already.
    expect(awaiting.map((s) => s.orgId)).not.toContain(demo.minxian)

    // Verification comes second.
    expect(await verifySupplier(db, { supplierOrgId: coop.orgId, admin: platform }, clock)).toEqual({
      ok: false,
      error: 'not_recommended',
    })
    const recommended = await recommendSupplier(db, { supplierOrgId: coop.orgId, office }, clock)
    expect(recommended).toMatchObject({ ok: true })
    expect(await recommendSupplier(db, { supplierOrgId: coop.orgId, office }, clock)).toEqual({
      ok: false,
      error: 'already_recommended',
    })
    expect(await admission(coop.orgId)).toMatchObject({
      recommendedBy: demo.officeAdmin,
      recommendingOrg: demo.office,
      verifiedAt: null,
    })
    expect((await listSuppliersAwaitingRecommendation(db, office)).map((s) => s.orgId)).not.toContain(
      coop.orgId,
    )
    const queue = await listSuppliersAwaitingVerification(db, platform)
    expect(queue.find((s) => s.orgId === coop.orgId)).toMatchObject({
      recommendedBy: '福州市东西部协作工作机构（演示）',
    })
    // Still not a seller.
    expect(await submitListing(db, { ...actor, productId: draft.productId }, clock)).toMatchObject({
      error: 'not_admitted',
    })

    // Only a platform admin acting for the platform verifies.
    for (const admin of [
      { userId: demo.finance, orgId: demo.platform },
      { userId: demo.officeAdmin, orgId: demo.office },
      { userId: demo.platformAdmin, orgId: demo.office },
    ])
      expect(await verifySupplier(db, { supplierOrgId: coop.orgId, admin }, clock)).toEqual({
        ok: false,
        error: 'not_found',
      })
    expect(
      await listSuppliersAwaitingVerification(db, { userId: demo.finance, orgId: demo.platform }),
    ).toEqual([])
    expect(await verifySupplier(db, { supplierOrgId: coop.orgId, admin: platform }, clock)).toMatchObject({
      ok: true,
    })
    expect(await verifySupplier(db, { supplierOrgId: coop.orgId, admin: platform }, clock)).toEqual({
      ok: false,
      error: 'already_verified',
    })
    expect(await admission(coop.orgId)).toMatchObject({ verifiedBy: demo.platformAdmin })
    expect((await listSuppliersAwaitingVerification(db, platform)).map((s) => s.orgId)).not.toContain(
      coop.orgId,
    )
    expect(await submitListing(db, { ...actor, productId: draft.productId }, clock)).toEqual({ ok: true })

    const events = await db
      .select({ action: auditEvents.action, actor: auditEvents.actorUserId, details: auditEvents.details })
      .from(auditEvents)
      .where(and(eq(auditEvents.subjectType, 'organization'), eq(auditEvents.subjectId, coop.orgId)))
      .orderBy(asc(auditEvents.seq))
    expect(events.map((e) => [e.action, e.actor])).toEqual([
      ['supplier.recommended', demo.officeAdmin],
      ['supplier.verified', demo.platformAdmin],
    ])
    expect(events[0]!.details).toMatchObject({ regionCode: '621126', office: demo.office })
  })

  it('an office recommends only in its jurisdiction, only as office admin, only verified cooperatives and enterprises', async () => {
    // 淳安县 (Zhejiang) is outside 福州市 ∪ 定西市.
    const chunan = await makeOrganization(db, { regionCode: '330127' })
    expect(await recommendSupplier(db, { supplierOrgId: chunan.orgId, office }, clock)).toEqual({
      ok: false,
      error: 'not_found',
    })
    expect((await listSuppliersAwaitingRecommendation(db, office)).map((s) => s.orgId)).not.toContain(
      chunan.orgId,
    )
    // An office whose jurisdiction is 杭州市 covers it.
    const hangzhou = await makeOrganization(db, {
      regionCode: '330100',
      kind: 'office',
      role: 'office_admin',
      jurisdiction: ['330100'],
    })
    const hangzhouOffice = { userId: hangzhou.userId, orgId: hangzhou.orgId }
    expect((await listSuppliersAwaitingRecommendation(db, hangzhouOffice)).map((s) => s.orgId)).toEqual([
      chunan.orgId,
    ])
    expect(
      await recommendSupplier(db, { supplierOrgId: chunan.orgId, office: hangzhouOffice }, clock),
    ).toMatchObject({
      ok: true,
    })

    const inArea = await makeOrganization(db, { regionCode: '621102' })
    // An analyst of the office does not recommend.
    const analyst = { userId: demo.officeAnalyst, orgId: demo.office }
    expect(await recommendSupplier(db, { supplierOrgId: inArea.orgId, office: analyst }, clock)).toEqual({
      ok: false,
      error: 'not_found',
    })
    expect(await listSuppliersAwaitingRecommendation(db, analyst)).toEqual([])
    // A registration not yet verified by the platform is not recommended.
    const unverified = await makeOrganization(db, { regionCode: '621102', verified: false })
    expect(await recommendSupplier(db, { supplierOrgId: unverified.orgId, office }, clock)).toEqual({
      ok: false,
      error: 'not_verified',
    })
    expect((await listSuppliersAwaitingRecommendation(db, office)).map((s) => s.orgId)).not.toContain(
      unverified.orgId,
    )
    // Enterprises (龙头企业) are suppliers too; a budget unit is not.
    const enterprise = await makeOrganization(db, {
      regionCode: '621102',
      kind: 'enterprise',
      role: 'unit_admin',
    })
    const unit = await makeOrganization(db, { regionCode: '621102', kind: 'gov_unit', role: 'unit_admin' })
    expect(await recommendSupplier(db, { supplierOrgId: enterprise.orgId, office }, clock)).toMatchObject({
      ok: true,
    })
    expect(await recommendSupplier(db, { supplierOrgId: unit.orgId, office }, clock)).toEqual({
      ok: false,
      error: 'not_found',
    })
  })

  it('two offices recommending at once: exactly one recommendation', async () => {
    const coop = await makeOrganization(db, { regionCode: '621123' })
    const second = await makeOrganization(db, {
      regionCode: '621100',
      kind: 'office',
      role: 'office_admin',
      jurisdiction: ['621100'],
    })
    const results = await Promise.all([
      recommendSupplier(db, { supplierOrgId: coop.orgId, office }, clock),
      recommendSupplier(
        db,
        { supplierOrgId: coop.orgId, office: { userId: second.userId, orgId: second.orgId } },
        clock,
      ),
    ])
    expect(results.filter((r) => r.ok)).toHaveLength(1)
    expect(results.find((r) => !r.ok)).toEqual({ ok: false, error: 'already_recommended' })
  })
})
