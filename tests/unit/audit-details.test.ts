import { describe, expect, it } from 'vitest'
import { describeAuditDetails } from '../../app/domains/audit/details'
import { messages as en } from '../../app/messages/en'
import { messages as zh } from '../../app/messages/zh'

const names: Record<string, string> = { '350100': '福州市', '621100': '定西市', '621126': '岷县' }
const regionName = (code: string) => names[code] ?? null

describe('audit details as people read them', () => {
  it('shows a confirmed payment’s amount as money under a label, never as receivedFen 23500', () => {
    expect(describeAuditDetails({ receivedFen: '23500' }, regionName)).toEqual([
      { label: 'audit.field.receivedFen', value: { kind: 'money', fen: '23500' } },
    ])
  })

  it('names roles, listing states, regions and jurisdictions instead of their codes', () => {
    expect(
      describeAuditDetails(
        { memberUserId: 'b1c2d3e4-0000-4000-8000-000000000000', from: 'unit_buyer', to: 'unit_admin' },
        regionName,
      ).map((l) => l.value),
    ).toEqual([
      { kind: 'id', id: 'b1c2d3e4-0000-4000-8000-000000000000' },
      { kind: 'message', key: 'role.unit_buyer' },
      { kind: 'message', key: 'role.unit_admin' },
    ])
    expect(describeAuditDetails({ sku: 'PRD030', from: 'active' }, regionName)[1]!.value).toEqual({
      kind: 'message',
      key: 'listing.status.active',
    })
    expect(
      describeAuditDetails(
        { name: '测试机构', regionCode: '350100', jurisdiction: ['350100', '621100'] },
        regionName,
      ).map((l) => l.value),
    ).toEqual([
      { kind: 'text', text: '测试机构' },
      { kind: 'text', text: '福州市' },
      { kind: 'text', text: '福州市、定西市' },
    ])
  })

  it('leaves fields it does not know to the raw record, and keeps a code it cannot name as it is', () => {
    expect(describeAuditDetails({ someInternalKey: 1, role: 'ghost_role' }, regionName)).toEqual([
      { label: 'audit.field.role', value: { kind: 'text', text: 'ghost_role' } },
    ])
  })

  it('has a label in both languages for every field it shows', () => {
    const all = describeAuditDetails(
      {
        receivedFen: '1',
        amountFen: '1',
        priceFen: 1,
        approvedPriceFen: 1,
        paymentId: 'x',
        resetId: 'x',
        memberUserId: 'x',
        office: 'x',
        recommendedBy: 'x',
        sku: 'x',
        name: 'x',
        reason: 'x',
        note: 'x',
        identifier: 'x',
        failures: 5,
        windowMinutes: 15,
        firstDelaySeconds: 1,
        maxDelaySeconds: 60,
        role: 'x',
        from: 'x',
        to: 'x',
        channel: 'sms',
        keyKind: 'reset-ip',
        left: true,
        regionCode: '350100',
        jurisdiction: [],
        lockedUntil: '2026-12-06T01:02:03.000Z',
      },
      regionName,
    )
    expect(all).toHaveLength(27)
    for (const line of all) {
      expect(zh[line.label], line.label).toBeTruthy()
      expect(en[line.label], line.label).toBeTruthy()
      expect(zh[line.label]).not.toMatch(/[A-Za-z]{3}/)
    }
    expect(all.find((l) => l.label === 'audit.field.lockedUntil')!.value.kind).toBe('time')
    expect(all.find((l) => l.label === 'audit.field.left')!.value).toEqual({
      kind: 'message',
      key: 'audit.value.yes',
    })
  })
})
