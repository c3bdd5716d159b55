import { eq, sql } from 'drizzle-orm'
import type { Readable } from 'node:stream'
import { type Db, queryRows } from '../../../db/client.server'
import { files } from '../../../db/schema/files'
import { saveFiles } from '../../services/files/files.server'
import { fileKeyFor, isFileKey } from '../../services/files/keys.server'
import { type RefusedKind, sniffFileType } from '../../services/files/sniff'
import { defaultFileStore, type FileStore } from '../../services/files/store.server'
import type { Clock } from '../../utils/clock'
import { isUuid } from '../../utils/ids'

/**
 * Certificate evidence (the scan of a 帮扶产品认定 certificate): a PDF, JPEG or PNG kept exactly as uploaded, by
 * content hash, in the files store. Unlike product photos it is never public (decision 016): only the members of
 * the cooperative whose product a certificate with this file belongs to, platform admins acting for the platform,
 * and offices whose jurisdiction covers that product's origin may read it, each while acting for that organisation.
 */

export type EvidenceUpload = { filename: string; bytes: Uint8Array }

export type StoreEvidenceResult =
  | { ok: true; key: string }
  /** What the file was found to be, and why it is refused (in Chinese and English). */
  | { ok: false; error: 'refused_type'; kind: RefusedKind | 'webp'; reason: string }

const extensions = { pdf: 'pdf', jpeg: 'jpg', png: 'png' } as const

/**
 * Sniffs an evidence file by its magic bytes (its name and declared type are claims) and keeps it: PDF, JPEG and
 * PNG only. The bytes go to the store and the `files` row is registered; nothing refers to it until a
 * certification names it, and until then nobody can read it.
 */
export async function storeEvidenceFile(
  db: Db,
  input: { upload: EvidenceUpload; actorUserId: string; store?: FileStore },
  clock: Clock,
): Promise<StoreEvidenceResult> {
  const sniffed = sniffFileType(input.upload.bytes)
  if (!sniffed.ok) return { ok: false, error: 'refused_type', kind: sniffed.kind, reason: sniffed.reason }
  if (sniffed.kind === 'webp') {
    return {
      ok: false,
      error: 'refused_type',
      kind: 'webp',
      reason: '证明文件请上传 PDF、JPEG 或 PNG / Upload the evidence as PDF, JPEG or PNG',
    }
  }
  const key = fileKeyFor(input.upload.bytes, extensions[sniffed.kind])
  await saveFiles(
    db,
    input.store ?? defaultFileStore(),
    [{ key, bytes: input.upload.bytes }],
    input.actorUserId,
    clock,
  )
  return { ok: true, key }
}

export type OpenedEvidence = {
  contentType: string
  size: number
  stream: Readable
  /** A name for the download: the certificate's number and the file's extension. */
  filename: string
}

/**
 * An evidence file, if the viewer (acting for `orgId`) may read it; null otherwise — a file that exists but is not
 * theirs to see is not distinguished from one that does not exist.
 */
export async function openEvidenceFile(
  db: Db,
  input: { key: string; viewerUserId: string; orgId: string | null; store?: FileStore },
): Promise<OpenedEvidence | null> {
  if (!isFileKey(input.key) || input.key.endsWith('.webp')) return null
  if (!isUuid(input.viewerUserId) || input.orgId === null || !isUuid(input.orgId)) return null
  const [allowed] = await queryRows<{ number: string }>(
    db,
    sql`select c.number from certifications c join products p on p.id = c.product_id
      where c.evidence_file = ${input.key}
        and exists (select 1 from memberships m join organizations o on o.id = m.org_id
          where m.user_id = ${input.viewerUserId}::uuid and m.org_id = ${input.orgId}::uuid and (
            (o.id = p.org_id and o.kind = 'cooperative' and m.role in ('coop_admin', 'coop_staff'))
            or (o.kind = 'platform' and m.role = 'platform_admin')
            or (o.kind = 'office' and o.verified_at is not null and m.role in ('office_admin', 'office_analyst')
                and exists (select 1 from unnest(o.jurisdiction) as j(code)
                            where p.origin_code like (case when j.code like '__0000' then left(j.code, 2)
                                                          when j.code like '____00' then left(j.code, 4)
                                                          else j.code end) || '%'))))
      order by c.created_at desc
      limit 1`,
  )
  if (!allowed) return null
  const [row] = await db
    .select({ contentType: files.contentType })
    .from(files)
    .where(eq(files.key, input.key))
    .limit(1)
  if (!row) return null
  const opened = await (input.store ?? defaultFileStore()).open(input.key)
  if (!opened) return null
  const extension = input.key.slice(input.key.lastIndexOf('.') + 1)
  // Only letters, digits and a few marks: the name goes into a header.
  const safeNumber = allowed.number.replace(/[^\p{L}\p{N}_-]+/gu, '-').slice(0, 60) || 'evidence'
  return { contentType: row.contentType, ...opened, filename: `${safeNumber}.${extension}` }
}
