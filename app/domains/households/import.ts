import type { MessageKey } from '../../utils/i18n'

/**
 * The household import's file format (browser-safe): the template's header, the columns each header names, and
 * the limits. A header may come in any order; unknown columns are ignored.
 */
export const IMPORT_COLUMNS = [
  { key: 'headName', header: '户主姓名', required: true },
  { key: 'region', header: '所在区县', required: false },
  { key: 'village', header: '乡镇村', required: true },
  { key: 'members', header: '家庭人口', required: true },
  { key: 'status', header: '农户类别', required: true },
  { key: 'linkage', header: '利益联结方式', required: true },
  { key: 'idNumber', header: '身份证号', required: false },
] as const
export type ImportColumn = (typeof IMPORT_COLUMNS)[number]['key']

/** A file of more rows is refused before it is read further. */
export const MAX_IMPORT_ROWS = 20_000

/** One bad row: its line in the file, the column, and why (a message key: no personal data is kept). */
export type ImportProblem = { line: number; field: ImportColumn | 'file'; reason: MessageKey }

export const importJobStates = ['running', 'done', 'failed'] as const
export type ImportJobState = (typeof importJobStates)[number]
