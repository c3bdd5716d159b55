import { accounts } from './zh/accounts'
import { audit } from './zh/audit'
import { coop } from './zh/coop'
// Cooperative console pages (H1).
import { coopConsole } from './zh/coop-console'
import { errors } from './zh/errors'
import { forms } from './zh/forms'
import { memberships } from './zh/memberships'
import { orders } from './zh/orders'
import { organizations } from './zh/organizations'
import { search } from './zh/search'
import { storefront } from './zh/storefront'
// Listing review and supplier admission (the admin and office pages).
import { review } from './zh/review'
// Government procurement (issue 16): the unit pages, requisitions, approvals, the plan, notifications.
import { procurement } from './zh/procurement'
// Government procurement II (decision 022): 验收, disputes, payment terms, exports for 考核.
import { acceptance } from './zh/acceptance'
// Cooperative console II: beneficiary households, proceeds rules, fulfilment, reports.
import { households } from './zh/households'
// Office dashboard and 公示 (issue 19).
import { office } from './zh/office'
// Bank statement import (issue 18 item 5).
import { statements } from './zh/statements'
// Office dashboard II (decision 024): office targets, lagging units, published heads, receipts.
import { officeTargets } from './zh/office-targets'

/**
 * Every Chinese message, one module per area in zh/. Its keys are the app's message keys (MessageKey). The browser
 * loads this catalogue, or en.ts, as a chunk of its own (app/entry.client.tsx): never both.
 */
export const messages = {
  ...storefront,
  ...accounts,
  ...organizations,
  ...memberships,
  ...audit,
  ...search,
  ...orders,
  ...forms,
  ...errors,
  ...coop,
  // Listing review and supplier admission.
  ...review,
  // Cooperative console pages (H1).
  ...coopConsole,
  // Government procurement (issue 16).
  ...procurement,
  // Government procurement II (decision 022).
  ...acceptance,
  // Cooperative console II: beneficiary households, proceeds rules, fulfilment, reports.
  ...households,
  // Office dashboard and 公示 (issue 19).
  ...office,
  // Bank statement import (issue 18 item 5).
  ...statements,
  // Office dashboard II.
  ...officeTargets,
}
