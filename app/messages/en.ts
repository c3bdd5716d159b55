import type { Messages } from '../utils/i18n'
import { accounts } from './en/accounts'
import { audit } from './en/audit'
import { coop } from './en/coop'
// Cooperative console pages (H1).
import { coopConsole } from './en/coop-console'
import { errors } from './en/errors'
import { forms } from './en/forms'
import { memberships } from './en/memberships'
import { orders } from './en/orders'
import { organizations } from './en/organizations'
import { search } from './en/search'
import { storefront } from './en/storefront'
// Listing review and supplier admission (the admin and office pages).
import { review } from './en/review'
// Government procurement (issue 16): the unit pages, requisitions, approvals, the plan, notifications.
import { procurement } from './en/procurement'
// Government procurement II (decision 022): 验收, disputes, payment terms, exports for 考核.
import { acceptance } from './en/acceptance'
// Cooperative console II: beneficiary households, proceeds rules, fulfilment, reports.
import { households } from './en/households'
// Office dashboard and 公示 (issue 19).
import { office } from './en/office'
// Bank statement import (issue 18 item 5).
import { statements } from './en/statements'
// Office dashboard II (decision 024): office targets, lagging units, published heads, receipts.
import { officeTargets } from './en/office-targets'

/** Every English message, one module per area in en/; each area has exactly the keys of its Chinese twin. */
export const messages: Messages = {
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
