import type { audit as zh } from '../zh/audit'

// English of zh/audit.ts: every key of the Chinese module and no other (the typecheck enforces it).
export const audit: Record<keyof typeof zh, string> = {
  'audit.title': 'Audit log',
  'audit.intro':
    'Reviews, office creation, membership changes, login locks and other actions on the platform, recorded one by one in order, append-only and linked in a hash chain.',
  'audit.chain.ok': 'Audit chain intact. Events: {n}. Latest hash: {hash}',
  'audit.chain.empty': 'Audit chain intact: no events yet.',
  'audit.chain.broken': 'The audit chain has been tampered with from event {seq} on: {reason}',
  'audit.reason.seq_gap': 'a sequence number is missing (an event was deleted or moved)',
  'audit.reason.prev_hash_mismatch':
    'it does not link to the previous event’s hash (events deleted, inserted or swapped)',
  'audit.reason.hash_mismatch': 'its contents do not match its hash (the event was changed)',
  'audit.reason.head_mismatch':
    'the chain head does not match the last event (events added or removed at the end, or the head changed)',
  'audit.reason.expected_head_mismatch':
    'the chain does not contain the head published earlier (its end was removed or rewritten)',
  'audit.caption': 'Audit events, newest first (total: {n})',
  'audit.empty': 'No audit events yet.',
  'audit.col.seq': 'No.',
  'audit.col.time': 'Time (Beijing)',
  'audit.col.actor': 'Actor',
  'audit.col.action': 'Action',
  'audit.col.subject': 'Subject',
  'audit.col.details': 'Details',
  'audit.col.hash': 'Hash',
  'audit.actor.none': 'System',
  'audit.actor.unknown': 'Deleted user',
  'audit.action.organization.verified': 'Organisation verified',
  'audit.action.organization.rejected': 'Organisation rejected',
  'audit.action.office.created': 'Aid office created',
  'audit.action.membership.role_changed': 'Member role changed',
  'audit.action.membership.removed': 'Member removed',
  'audit.action.membership.joined': 'Member joined',
  'audit.action.login.locked': 'Login locked',
  'audit.action.login.slowed': 'Login slowed down',
  'audit.action.signup.locked': 'Sign-up locked',
  'audit.action.personal_data.revealed': 'Personal data revealed',
  'audit.action.refund.created': 'Refund created',
  'audit.subject.organization': 'Organisation',
  'audit.subject.login_throttle': 'Login throttle',
  'audit.subject.household': 'Household',
  'audit.subject.refund': 'Refund',
  'audit.action.payment.confirmed': 'Payment confirmed',
  'audit.action.payment.flagged': 'Payment amount mismatch',
  'audit.subject.payment': 'Payment',
}
