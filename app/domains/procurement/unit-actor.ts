/**
 * Who acts on the unit pages: the unit the session acts for, the user, and their role in it. A unit admin and an
 * approver see all of the unit's requisitions and orders; a buyer sees their own.
 */
export const unitRoles = ['unit_buyer', 'unit_approver', 'unit_admin'] as const
export type UnitRole = (typeof unitRoles)[number]

export type UnitActor = { orgId: string; userId: string; role: UnitRole }

export function isUnitRole(role: string): role is UnitRole {
  return (unitRoles as readonly string[]).includes(role)
}

/** Sees every requisition and order of the unit (not only their own). */
export function seesAllOfUnit(role: UnitRole): boolean {
  return role !== 'unit_buyer'
}

/** May submit requisitions: buyers, and the unit admin. */
export function mayRequisition(role: UnitRole): boolean {
  return role === 'unit_buyer' || role === 'unit_admin'
}

/** May approve or reject another member's requisition. */
export function mayApprove(role: UnitRole): boolean {
  return role === 'unit_approver'
}

export const REQUISITIONS_PAGE_SIZE = 20
