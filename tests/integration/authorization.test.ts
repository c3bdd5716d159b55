import type { AppLoadContext, ServerBuild } from '@remix-run/node'
import { describe, expect, it } from 'vitest'
import { organizations } from '../../db/schema/organizations'
import { seedUuid } from '../../db/seed/synthetic'
import { listMemberships, type RequestAuth } from '../../app/domains/accounts/sessions.server'
import { routePath, startTestApp } from '../support/app-server'
import { testContext } from '../support/context'
import { openTestDatabase, testDbKind } from '../support/db'

type Outcome = 'allowed' | 'login' | 'denied'

/** Who may do what, written out by hand: the access map must produce exactly this. */
const people = {
  anonymous: null,
  consumer: 'consumer@demo.example',
  buyer: 'buyer@gulou.demo.example',
  unitAdmin: 'unit-admin@gulou.demo.example',
  coopAdmin: 'coop@minxian.demo.example',
  coopStaff: 'coop-staff@minxian.demo.example',
  analyst: 'office@fuzhou.demo.example',
  officeAdmin: 'office-admin@fuzhou.demo.example',
  finance: 'finance@demo.example',
  admin: 'admin@demo.example',
} as const
type Person = keyof typeof people
const everyone = Object.keys(people) as Person[]
const signedIn = everyone.filter((p) => p !== 'anonymous')

/** Each person's own organisation (members pages), and one that is not theirs. */
const ownOrg: Partial<Record<Person, string>> = {
  buyer: 'org:gulou-unit',
  unitAdmin: 'org:gulou-unit',
  coopAdmin: 'coop:621126:1',
  coopStaff: 'coop:621126:1',
  analyst: 'org:fuzhou-office',
  officeAdmin: 'org:fuzhou-office',
  finance: 'org:platform',
  admin: 'org:platform',
}
const admins: Person[] = ['unitAdmin', 'coopAdmin', 'officeAdmin', 'admin']

async function outcomeOf(call: () => Promise<unknown>): Promise<{ outcome: Outcome; status: number }> {
  try {
    const result = await call()
    const status = result instanceof Response ? result.status : 200
    if (status === 403 || status === 404) return { outcome: 'denied', status }
    if (
      result instanceof Response &&
      status === 302 &&
      result.headers.get('location')?.startsWith('/login')
    ) {
      return { outcome: 'login', status }
    }
    return { outcome: 'allowed', status }
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown
    if (thrown.status === 302 && thrown.headers.get('location')?.startsWith('/login')) {
      return { outcome: 'login', status: 302 }
    }
    if (thrown.status === 403 || thrown.status === 404) return { outcome: 'denied', status: thrown.status }
    return { outcome: 'allowed', status: thrown.status }
  }
}

describe(`authorization matrix (${testDbKind()})`, async () => {
  const handle = await openTestDatabase('seeded')
  const db = handle.db
  const { build } = await startTestApp(handle)
  const auths = new Map<Person, RequestAuth | null>()
  for (const person of everyone) {
    const email = people[person]
    if (!email) {
      auths.set(person, null)
      continue
    }
    const userId = seedUuid(`user:${email}`)
    const memberships = await listMemberships(db, userId)
    auths.set(person, {
      userId,
      displayName: email,
      email,
      mobile: null,
      memberships,
      active: memberships[0] ?? null,
    })
  }
  const contextFor = (person: Person): AppLoadContext =>
    testContext({
      auth: auths.get(person) ?? null,
      sessionToken: person === 'anonymous' ? null : 'test-token',
    })

  function route(id: string): ServerBuild['routes'][string]['module'] {
    const entry = build.routes[id]
    if (!entry) throw new Error(`no route ${id}`)
    return entry.module
  }

  async function callLoader(id: string, person: Person, params: Record<string, string> = {}) {
    const loader = route(id).loader
    if (!loader) throw new Error(`${id} has no loader`)
    const url = `http://localhost${routePath(build, id, params)}`
    return outcomeOf(() =>
      Promise.resolve(loader({ request: new Request(url), params, context: contextFor(person) })),
    )
  }

  async function callAction(
    id: string,
    person: Person,
    form: Record<string, string>,
    params: Record<string, string> = {},
  ) {
    const action = route(id).action
    if (!action) throw new Error(`${id} has no action`)
    const url = `http://localhost${routePath(build, id, params)}`
    const request = new Request(url, { method: 'POST', body: new URLSearchParams(form) })
    return outcomeOf(() => Promise.resolve(action({ request, params, context: contextFor(person) })))
  }

  const expectMatrix = async (
    label: string,
    allowed: readonly Person[],
    call: (person: Person) => Promise<{ outcome: Outcome; status: number }>,
  ) => {
    for (const person of everyone) {
      const { outcome, status } = await call(person)
      const expected: Outcome = allowed.includes(person)
        ? 'allowed'
        : person === 'anonymous'
          ? 'login'
          : 'denied'
      expect(outcome, `${label} as ${person} (HTTP ${status})`).toBe(expected)
    }
  }

  it('lets any signed-in user into the account pages, and sends visitors to log in', async () => {
    for (const id of [
      'routes/account',
      'routes/account._index',
      'routes/account.security',
      'routes/account.organizations._index',
      'routes/account.organizations.new',
      'routes/account.orders._index',
      'routes/_storefront.checkout',
    ]) {
      await expectMatrix(id, signedIn, (person) => callLoader(id, person))
    }
  })

  it('keeps platform administration to platform roles', async () => {
    await expectMatrix('admin layout', ['finance', 'admin'], (p) => callLoader('routes/admin', p))
    await expectMatrix('organisation review', ['admin'], (p) => callLoader('routes/admin.organizations', p))
    await expectMatrix('new office', ['admin'], (p) => callLoader('routes/admin.offices.new', p))
    await expectMatrix('audit log', ['finance', 'admin'], (p) => callLoader('routes/admin.audit', p))
    // Confirming money received is finance's job alone (separation of duties from the admins who verify sellers).
    await expectMatrix('payment confirmation', ['finance'], (p) => callLoader('routes/admin.payments', p))
    await expectMatrix('confirm a payment', ['finance'], (p) =>
      callAction('routes/admin.payments', p, {
        intent: 'confirm',
        paymentId: seedUuid('test:no-such-payment'),
        received: 'x',
      }),
    )
    await expectMatrix('refund a payment', ['finance'], (p) =>
      callAction('routes/admin.payments', p, {
        intent: 'refund',
        paymentId: seedUuid('test:no-such-payment'),
      }),
    )
  })

  it('lets only platform admins review organisations and create offices', async () => {
    const pending = seedUuid('test:pending-org')
    await db
      .insert(organizations)
      .values({ id: pending, kind: 'gov_unit', name: '待审核测试单位', regionCode: '350102' })
      .onConflictDoNothing()
    await expectMatrix('reject', ['admin'], (p) =>
      callAction('routes/admin.organizations', p, { intent: 'reject', orgId: pending, reason: '' }),
    )
    await expectMatrix('create office', ['admin'], (p) =>
      callAction('routes/admin.offices.new', p, { name: '', regionCode: '', jurisdiction: '' }),
    )
  })

  it('shows an organisation’s members only to its members, and another organisation’s never', async () => {
    for (const person of everyone) {
      const mine = ownOrg[person]
      const other = mine === 'org:gulou-unit' ? 'org:fuzhou-office' : 'org:gulou-unit'
      const theirs = await callLoader('routes/account.organizations.$orgId.members', person, {
        orgId: seedUuid(other),
      })
      expect(theirs.outcome, `${person} reading ${other}`).toBe(person === 'anonymous' ? 'login' : 'denied')
      if (mine) {
        const own = await callLoader('routes/account.organizations.$orgId.members', person, {
          orgId: seedUuid(mine),
        })
        expect(own.outcome, `${person} reading own ${mine}`).toBe('allowed')
      }
    }
  })

  it('lets only an organisation’s admins invite and change roles, and never in another organisation', async () => {
    for (const person of everyone) {
      const mine = ownOrg[person]
      const other = mine === 'org:gulou-unit' ? 'org:fuzhou-office' : 'org:gulou-unit'
      const foreign = await callAction(
        'routes/account.organizations.$orgId.members',
        person,
        { intent: 'invite', role: 'unit_buyer' },
        { orgId: seedUuid(other) },
      )
      expect(foreign.outcome, `${person} inviting into ${other}`).toBe(
        person === 'anonymous' ? 'login' : 'denied',
      )
      if (!mine) continue
      const role = mine.startsWith('coop')
        ? 'coop_staff'
        : mine === 'org:fuzhou-office'
          ? 'office_analyst'
          : mine === 'org:platform'
            ? 'platform_finance'
            : 'unit_buyer'
      const invite = await callAction(
        'routes/account.organizations.$orgId.members',
        person,
        // A platform role's invitation must name its invitee.
        {
          intent: 'invite',
          role,
          ...(mine === 'org:platform' ? { invitee: 'new-finance@platform.test' } : {}),
        },
        { orgId: seedUuid(mine) },
      )
      expect(invite.outcome, `${person} inviting into own ${mine}`).toBe(
        admins.includes(person) ? 'allowed' : 'denied',
      )
      const colleague = Object.entries(ownOrg).find(([p, org]) => org === mine && p !== person)?.[0] as Person
      const changeRole = await callAction(
        'routes/account.organizations.$orgId.members',
        person,
        {
          intent: 'change-role',
          userId: seedUuid(`user:${people[colleague]}`),
          role: admins.includes(colleague) ? '' : role,
        },
        { orgId: seedUuid(mine) },
      )
      expect(changeRole.outcome, `${person} changing a role in own ${mine}`).toBe(
        admins.includes(person) ? 'allowed' : 'denied',
      )
    }
  })
})
