import type { RequestAuth } from '~/domains/accounts/index.server'

/**
 * Who reviews listings and admits suppliers, as the acting membership says (decision 015): the platform's pages act
 * for the platform, an office's pages for the office the user currently acts for. The access map only says the user
 * holds a reviewing role somewhere; acting for another organisation is refused here with 403, whose page offers to
 * switch identity.
 */

export type ActingReviewer = { userId: string; orgId: string; orgName: string; role: string }

function refuse(): never {
  throw new Response('请切换到相应的机构身份 / Act for the right organisation first', {
    status: 403,
    headers: { 'Content-Type': 'text/plain; charset=utf-8' },
  })
}

/** A platform admin acting for the platform. */
export function platformReviewer(auth: RequestAuth): ActingReviewer {
  const active = auth.active
  if (!active || active.orgKind !== 'platform' || active.role !== 'platform_admin') refuse()
  return { userId: auth.userId, orgId: active.orgId, orgName: active.orgName, role: active.role }
}

const officeRoles = new Set(['office_admin', 'office_analyst'])

/** An office member acting for the office (`adminsOnly`: its admins, who recommend suppliers). */
export function officeReviewer(auth: RequestAuth, options: { adminsOnly?: boolean } = {}): ActingReviewer {
  const active = auth.active
  if (!active || active.orgKind !== 'office' || !officeRoles.has(active.role)) refuse()
  if (options.adminsOnly && active.role !== 'office_admin') refuse()
  return { userId: auth.userId, orgId: active.orgId, orgName: active.orgName, role: active.role }
}
