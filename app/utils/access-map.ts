/**
 * Who may call what: one entry per Remix route id, for its loader and its action. There is no default and no
 * wildcard — a route missing here fails the route-coverage test, and a missing rule fails closed at run time.
 * Every loader and action calls `requireAccess()` (app/utils/permissions.server.ts) with its own route id.
 */

/** Typed permission strings: verb:subject:scope. `own-org` means "in the organisation named by the request". */
export type Permission =
  | 'register:organization:own'
  | 'read:membership:own-org'
  | 'manage:membership:own-org'
  | 'access:admin:any'
  | 'review:organization:any'
  | 'create:office:any'
  | 'read:audit:any'
  | 'confirm:payment:any'
  | 'refund:payment:any'
  // The outbox holds one-time secrets (reset links and codes): platform admins only.
  | 'read:outbox:any'
  // The cooperative console: listings, stock, certifications, its orders and home (any member), bases (admins).
  | 'manage:listing:own-org'
  | 'manage:base:own-org'
  // Listing review and supplier admission: `jurisdiction` means the domain narrows it to the office's regions.
  | 'review:listing:jurisdiction'
  | 'recommend:supplier:jurisdiction'
  | 'verify:supplier:any'
  // Government procurement (issue 16): `active-org` means the organisation the session acts for (auth.active), in a
  // role granting it; the unit pages act for that unit only.
  | 'read:requisition:active-org'
  | 'order:requisition:active-org'
  | 'approve:requisition:active-org'
  | 'manage:plan:active-org'
  | 'manage:spending-limit:active-org'
  // Cooperative console II: the beneficiary-household roster (any member keeps it), revealing a stored ID number
  // (admins only, with a reason, audited).
  | 'manage:household:own-org'
  | 'reveal:household-id:own-org'
  | 'manage:proceeds:own-org'
  // Office dashboard and 公示 (issue 19): an office's analysts and admins read its jurisdiction's targets.
  | 'read:targets:active-org'
  // Office dashboard II (decision 024): an office's admins create and edit the office's own targets.
  | 'manage:targets:active-org'

/** `public`: anyone; `signed-in`: any user with a session; otherwise a permission some role grants. */
export type Access = 'public' | 'signed-in' | Permission

export type RouteRule = {
  loader?: Access
  /** One rule for the whole action, or one per `intent` (a missing intent is refused). */
  action?: Access | { intents: Record<string, Access> }
}

export const accessMap = {
  root: { loader: 'public' },

  // Storefront: public pages.
  'routes/_storefront': {},
  'routes/_storefront._index': { loader: 'public' },
  'routes/_storefront.about': {},
  'routes/_storefront.targets._index': { loader: 'public' },
  'routes/_storefront.products._index': { loader: 'public' },
  'routes/_storefront.products.$slug': { loader: 'public' },
  'routes/_storefront.regions.$code': { loader: 'public' },
  'routes/_storefront.pairings.$id': { loader: 'public' },
  'routes/_storefront.search': { loader: 'public' },
  'routes/search.suggest': { loader: 'public', action: 'public' },
  'routes/_storefront.login': { loader: 'public', action: 'public' },
  'routes/_storefront.signup': { loader: 'public', action: 'public' },
  // Forgotten passwords: public by nature; throttled and answered alike for unknown accounts in the model.
  'routes/_storefront.forgot-password': { loader: 'public', action: 'public' },
  'routes/_storefront.reset-password._index': { loader: 'public', action: 'public' },
  'routes/_storefront.reset-password.$token': { loader: 'public', action: 'public' },
  'routes/language': { loader: 'public', action: 'public' },
  'routes/logout': { loader: 'public', action: 'public' },
  // The cart works before sign-in (a cookie); checkout needs an account.
  'routes/_storefront.cart': {
    loader: 'public',
    action: { intents: { add: 'public', set: 'public', remove: 'public' } },
  },
  'routes/_storefront.checkout': { loader: 'signed-in', action: 'signed-in' },

  // Signed-in users.
  'routes/account': { loader: 'signed-in' },
  'routes/account._index': { loader: 'signed-in' },
  'routes/account.security': { loader: 'signed-in', action: 'signed-in' },
  'routes/account.switch': { loader: 'signed-in', action: 'signed-in' },
  'routes/account.organizations._index': { loader: 'signed-in' },
  'routes/account.organizations.new': {
    loader: 'register:organization:own',
    action: 'register:organization:own',
  },
  'routes/account.organizations.$orgId.members': {
    loader: 'read:membership:own-org',
    action: {
      intents: {
        invite: 'manage:membership:own-org',
        'change-role': 'manage:membership:own-org',
        revoke: 'manage:membership:own-org',
        // Any member may leave; removing someone else is checked again in the model (admins only).
        remove: 'read:membership:own-org',
      },
    },
  },
  'routes/invitations.$token': { loader: 'signed-in', action: 'signed-in' },
  // A buyer's own orders: the model only ever finds the signed-in user's (another's is 404).
  'routes/account.orders._index': { loader: 'signed-in' },
  // The buyer's own order (the domain keeps to it); confirm-receipt and request-refund: cooperative console II.
  'routes/account.orders.$orderId': {
    loader: 'signed-in',
    action: {
      intents: { cancel: 'signed-in', 'confirm-receipt': 'signed-in', 'request-refund': 'signed-in' },
    },
  },

  // Platform administration.
  'routes/admin': { loader: 'access:admin:any' },
  'routes/admin.organizations': { loader: 'review:organization:any', action: 'review:organization:any' },
  'routes/admin.offices.new': { loader: 'create:office:any', action: 'create:office:any' },
  'routes/admin.audit': { loader: 'read:audit:any' },
  'routes/admin.outbox': { loader: 'read:outbox:any' },
  'routes/admin.payments': {
    loader: 'confirm:payment:any',
    action: { intents: { confirm: 'confirm:payment:any', refund: 'refund:payment:any' } },
  },
  // Bank statement import (issue 18 item 5): finance alone, like confirming a transfer by hand (decision 007).
  'routes/admin.payments_.statements._index': {
    loader: 'confirm:payment:any',
    action: 'confirm:payment:any',
  },
  'routes/admin.payments_.statements.$importId': {
    loader: 'confirm:payment:any',
    action: { intents: { map: 'confirm:payment:any', confirm: 'confirm:payment:any' } },
  },

  // Listing review and supplier admission (issue 15): the platform's pages under /admin, an office's under /office.
  // The routes also require the active membership to be the platform admin's or an office's (403 otherwise), and
  // the domain narrows an office to its jurisdiction.
  'routes/admin.listings': {
    loader: 'review:listing:jurisdiction',
    action: { intents: { approve: 'review:listing:jurisdiction', reject: 'review:listing:jurisdiction' } },
  },
  'routes/admin.suppliers': {
    loader: 'verify:supplier:any',
    action: { intents: { verify: 'verify:supplier:any' } },
  },
  'routes/office': { loader: 'review:listing:jurisdiction' },
  'routes/office._index': { loader: 'review:listing:jurisdiction' },
  // Office dashboard and 公示 (issue 19): the office's targets, dashboards, exports and printable summary (the
  // route also requires acting for an office, and the domain keeps to its jurisdiction); the public notice.
  'routes/office.targets._index': { loader: 'read:targets:active-org' },
  'routes/office.targets.$id': { loader: 'read:targets:active-org' },
  'routes/office.targets.$id_.print': { loader: 'read:targets:active-org' },
  'routes/office.targets.$id_.export[.]csv': { loader: 'read:targets:active-org' },
  'routes/office.targets.$id_.export[.]xlsx': { loader: 'read:targets:active-org' },
  // Office dashboard II (decision 024): the office's admins create and edit its own targets (the route also requires
  // acting for the office as its admin; the domain keeps to the office's own targets and jurisdiction).
  'routes/office.targets.new': { loader: 'manage:targets:active-org', action: 'manage:targets:active-org' },
  'routes/office.targets.$id_.edit': {
    loader: 'manage:targets:active-org',
    action: 'manage:targets:active-org',
  },
  'routes/_storefront.targets.$id.gongshi': { loader: 'public' },
  'routes/office.listings': {
    loader: 'review:listing:jurisdiction',
    action: { intents: { approve: 'review:listing:jurisdiction', reject: 'review:listing:jurisdiction' } },
  },
  'routes/office.suppliers': {
    loader: 'recommend:supplier:jurisdiction',
    action: { intents: { recommend: 'recommend:supplier:jurisdiction' } },
  },

  // Public read-only API and probes (their actions only answer 405).
  'routes/api.v1.products._index': { loader: 'public', action: 'public' },
  'routes/api.v1.products.$slug': { loader: 'public', action: 'public' },
  'routes/api.v1.regions': { loader: 'public', action: 'public' },
  'routes/api.v1.targets._index': { loader: 'public', action: 'public' },
  'routes/api.v1.targets.$id': { loader: 'public', action: 'public' },
  'routes/api.v1.ledger.head': { loader: 'public', action: 'public' },
  'routes/healthz': { loader: 'public', action: 'public' },
  // Stored files: only product photos are served here (public, like the pages that show them). Certificate evidence
  // will need a variant that checks who is asking.
  'routes/files.$key': { loader: 'public' },
  // Cooperative console (H1): every page acts for the active cooperative (auth.active.orgId, its admins and staff);
  // the domain keeps to that cooperative's rows, so another's product is simply not found (404).
  'routes/coop': { loader: 'manage:listing:own-org' },
  'routes/coop._index': { loader: 'manage:listing:own-org' },
  'routes/coop.products._index': { loader: 'manage:listing:own-org' },
  'routes/coop.products.new': { loader: 'manage:listing:own-org', action: 'manage:listing:own-org' },
  'routes/coop.products.$productId': {
    loader: 'manage:listing:own-org',
    action: {
      intents: {
        save: 'manage:listing:own-org',
        submit: 'manage:listing:own-org',
        archive: 'manage:listing:own-org',
      },
    },
  },
  'routes/coop.products.$productId_.stock': {
    loader: 'manage:listing:own-org',
    action: 'manage:listing:own-org',
  },
  // One rule for every intent (upload, reorder, cover, remove): it is checked before the upload is read.
  'routes/coop.products.$productId_.photos': {
    loader: 'manage:listing:own-org',
    action: 'manage:listing:own-org',
  },
  'routes/coop.products.$productId_.certifications': {
    loader: 'manage:listing:own-org',
    action: 'manage:listing:own-org',
  },
  // Any member reads the bases (the listing form offers them); only admins change them.
  'routes/coop.bases': {
    loader: 'manage:listing:own-org',
    action: {
      intents: {
        create: 'manage:base:own-org',
        update: 'manage:base:own-org',
        archive: 'manage:base:own-org',
      },
    },
  },
  'routes/coop.orders': { loader: 'manage:listing:own-org' },
  // Certificate evidence: the owning cooperative, platform admins and offices covering the origin (the domain
  // decides; to anyone else the file does not exist).
  'routes/coop.evidence.$key': { loader: 'signed-in' },

  // Government procurement (issue 16): the unit pages act for the unit the session acts for; the domain keeps a
  // buyer to their own requisitions and orders, an approver and the unit admin see all of the unit's.
  'routes/unit': { loader: 'read:requisition:active-org' },
  'routes/unit._index': { loader: 'read:requisition:active-org' },
  'routes/unit.requisitions.new': {
    loader: 'order:requisition:active-org',
    action: 'order:requisition:active-org',
  },
  'routes/unit.requisitions.$requisitionId': {
    loader: 'read:requisition:active-org',
    action: {
      intents: { approve: 'approve:requisition:active-org', reject: 'approve:requisition:active-org' },
    },
  },
  'routes/unit.orders': { loader: 'read:requisition:active-org' },
  'routes/unit.plan': { loader: 'read:requisition:active-org', action: 'manage:plan:active-org' },
  'routes/unit.evidence.$key': { loader: 'read:requisition:active-org' },
  'routes/unit.members': {
    loader: 'manage:spending-limit:active-org',
    action: 'manage:spending-limit:active-org',
  },
  // Government procurement II (decision 022): an order's page and its 验收 (a buyer: their own orders; the unit
  // admin: all of the unit's), the year's purchases for 考核 (CSV, XLSX, a printable summary).
  'routes/unit.orders_.$orderId': {
    loader: 'read:requisition:active-org',
    action: 'order:requisition:active-org',
  },
  'routes/unit.plan_.export[.]csv': { loader: 'read:requisition:active-org' },
  'routes/unit.plan_.export[.]xlsx': { loader: 'read:requisition:active-org' },
  'routes/unit.plan_.print': { loader: 'read:requisition:active-org' },
  'routes/account.notifications': { loader: 'signed-in', action: { intents: { 'read-all': 'signed-in' } } },
  // Cooperative console II (issue #17): the household roster and its import, proceeds rules, fulfilment, reports.
  // The domain keeps to the active cooperative's rows: another cooperative's household is not found.
  'routes/coop.households._index': {
    loader: 'manage:household:own-org',
    action: {
      intents: {
        create: 'manage:household:own-org',
        update: 'manage:household:own-org',
        deactivate: 'manage:household:own-org',
        reveal: 'reveal:household-id:own-org',
      },
    },
  },
  // One rule for both intents (preview, import): it is checked before the upload is read.
  'routes/coop.households.import': {
    loader: 'manage:household:own-org',
    action: 'manage:household:own-org',
  },
  'routes/coop.households.template': { loader: 'manage:household:own-org' },
  // Reports: sales by product and month, proceeds per household (masked), and their exports.
  'routes/coop.reports': { loader: 'manage:household:own-org' },
  'routes/coop.reports_.export': { loader: 'manage:household:own-org' },
  // Fulfilment: any member ships (as any member sees the orders).
  'routes/coop.fulfilment': {
    loader: 'manage:listing:own-org',
    // Government procurement II: a unit's rejection at 验收 is answered here (accept the return, or contest it).
    action: {
      intents: {
        ship: 'manage:listing:own-org',
        deliver: 'manage:listing:own-org',
        return: 'manage:listing:own-org',
        contest: 'manage:listing:own-org',
      },
    },
  },
  // A product's beneficiaries and proceeds rule: any member reads them; a change of what is promised is the admins'.
  'routes/coop.products.$productId_.beneficiaries': {
    loader: 'manage:household:own-org',
    action: {
      intents: {
        rule: 'manage:proceeds:own-org',
        link: 'manage:proceeds:own-org',
        weight: 'manage:proceeds:own-org',
        unlink: 'manage:proceeds:own-org',
      },
    },
  },
} as const satisfies Record<string, RouteRule>

export type RouteId = keyof typeof accessMap
