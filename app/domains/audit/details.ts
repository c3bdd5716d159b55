import type { MessageKey } from '~/utils/i18n'

/**
 * How an audit event's details read on the audit page: each known field under a label people understand, its value
 * as an amount, a time, a translated code or plain text — never a field name such as `receivedFen`. The details
 * are kept as recorded (they are hashed into the chain); this only decides how they are shown. Fields this table
 * does not know are left to the event's raw record, which the page offers folded away for checking the hash.
 */

type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue }

export type AuditDetailValue =
  | { kind: 'money'; fen: string }
  | { kind: 'text'; text: string }
  | { kind: 'time'; iso: string }
  | { kind: 'message'; key: MessageKey }
  | { kind: 'id'; id: string }

export type AuditDetailLine = { label: MessageKey; value: AuditDetailValue }

type Treatment = 'money' | 'text' | 'time' | 'id' | 'code' | 'region' | 'regions' | 'yesNo'

/** Every field some audit event records, with how to show it. */
const fields = {
  receivedFen: 'money',
  amountFen: 'money',
  priceFen: 'money',
  approvedPriceFen: 'money',
  paymentId: 'id',
  resetId: 'id',
  memberUserId: 'id',
  office: 'id',
  recommendedBy: 'id',
  sku: 'text',
  name: 'text',
  reason: 'text',
  note: 'text',
  identifier: 'text',
  failures: 'text',
  windowMinutes: 'text',
  firstDelaySeconds: 'text',
  maxDelaySeconds: 'text',
  role: 'code',
  from: 'code',
  to: 'code',
  channel: 'code',
  keyKind: 'code',
  left: 'yesNo',
  regionCode: 'region',
  jurisdiction: 'regions',
  lockedUntil: 'time',
  // Government procurement (issue 16): requisition decisions, spending limits, plans, purchases elsewhere.
  totalFen: 'money',
  baseFen: 'money',
  fromFen: 'money',
  toFen: 'money',
  number: 'text',
  comment: 'text',
  year: 'text',
  reservedShareBp: 'text',
  purchasedOn: 'text',
  noCanteen: 'yesNo',
  // Office dashboard II: an office's targets (decision 024).
  goalFen: 'money',
  goalPeople: 'text',
  metric: 'code',
  helpedCodes: 'regions',
  helperCodes: 'regions',
  channels: 'text',
  certifiedOnly: 'yesNo',
  periodStart: 'text',
  periodEnd: 'text',
  parentId: 'id',
  changed: 'text',
  // Government procurement II (decision 022): 验收 and the payment term.
  orderNumber: 'text',
  rejectedFen: 'money',
  days: 'text',
} as const satisfies Record<string, Treatment>

export type AuditDetailField = keyof typeof fields

/** Codes that appear as values (roles, listing states, channels, throttle kinds) and the message naming each. */
const codeMessages: Record<string, MessageKey> = {
  consumer: 'role.consumer',
  unit_buyer: 'role.unit_buyer',
  unit_approver: 'role.unit_approver',
  unit_admin: 'role.unit_admin',
  coop_admin: 'role.coop_admin',
  coop_staff: 'role.coop_staff',
  office_analyst: 'role.office_analyst',
  office_admin: 'role.office_admin',
  platform_admin: 'role.platform_admin',
  platform_finance: 'role.platform_finance',
  draft: 'listing.status.draft',
  pending: 'listing.status.pending',
  active: 'listing.status.active',
  rejected: 'listing.status.rejected',
  archived: 'listing.status.archived',
  email: 'audit.value.email',
  sms: 'audit.value.sms',
  account: 'audit.value.account',
  ip: 'audit.value.ip',
  signup: 'audit.value.signup',
  'signup-ip': 'audit.value.signupIp',
  reset: 'audit.value.reset',
  amount_fen: 'audit.value.metricAmount',
  people: 'audit.value.metricPeople',
  'reset-ip': 'audit.value.resetIp',
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/

function isField(key: string): key is AuditDetailField {
  return Object.hasOwn(fields, key)
}

function plain(value: JsonValue): string {
  if (value === null) return '—'
  if (Array.isArray(value)) return value.map(plain).join('、')
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

function valueOf(
  treatment: Treatment,
  value: JsonValue,
  regionName: (code: string) => string | null,
): AuditDetailValue {
  switch (treatment) {
    case 'money':
      return typeof value === 'string' && /^-?\d+$/.test(value)
        ? { kind: 'money', fen: value }
        : typeof value === 'number' && Number.isSafeInteger(value)
          ? { kind: 'money', fen: String(value) }
          : { kind: 'text', text: plain(value) }
    case 'time':
      return typeof value === 'string' && ISO_INSTANT.test(value)
        ? { kind: 'time', iso: value }
        : { kind: 'text', text: plain(value) }
    case 'id':
      return typeof value === 'string' ? { kind: 'id', id: value } : { kind: 'text', text: plain(value) }
    case 'code': {
      const key = typeof value === 'string' ? codeMessages[value] : undefined
      return key ? { kind: 'message', key } : { kind: 'text', text: plain(value) }
    }
    case 'yesNo':
      return typeof value === 'boolean'
        ? { kind: 'message', key: value ? 'audit.value.yes' : 'audit.value.no' }
        : { kind: 'text', text: plain(value) }
    case 'region':
      return { kind: 'text', text: typeof value === 'string' ? (regionName(value) ?? value) : plain(value) }
    case 'regions':
      return {
        kind: 'text',
        text: Array.isArray(value)
          ? value
              .map((code) => (typeof code === 'string' ? (regionName(code) ?? code) : plain(code)))
              .join('、')
          : plain(value),
      }
    case 'text':
      return { kind: 'text', text: plain(value) }
  }
}

/** The lines to show for an event's details, in the order recorded; fields not in the table are left out. */
export function describeAuditDetails(
  details: { [key: string]: JsonValue },
  regionName: (code: string) => string | null,
): AuditDetailLine[] {
  return Object.entries(details)
    .filter((entry): entry is [AuditDetailField, JsonValue] => isField(entry[0]))
    .map(([key, value]) => ({
      label: `audit.field.${key}` as const satisfies MessageKey,
      value: valueOf(fields[key], value, regionName),
    }))
}
