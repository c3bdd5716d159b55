// What the browser may know about product photos too (the console's form says how many a product may have).
import type { RefusedKind } from '../../services/files/sniff'

/** Photos per product; the first is the cover shown on cards. */
export const maxProductPhotos = 8

/** Why a photo change was refused. `file` names the upload at fault, as its sender named it. */
export type PhotoError =
  | { code: 'not_found' }
  | { code: 'archived' }
  | { code: 'no_files' }
  | { code: 'too_many'; limit: number; current: number }
  /** `kind` is what the file was found to be; `reason` says why it is refused, in Chinese and English. */
  | { code: 'not_an_image'; file: string; kind: RefusedKind | 'pdf'; reason: string }
  | { code: 'unreadable'; file: string }
  | { code: 'too_many_pixels'; file: string }
  | { code: 'photo_not_found' }
  | { code: 'order_mismatch' }
