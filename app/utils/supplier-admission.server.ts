import { data } from '@remix-run/node'
import { z } from 'zod'
import type { AdmissionAnswer, AdmissionPage } from '~/components/supplier-admission'
import { supplierAdmissionForm } from '~/domains/organizations'
import type { SupplierCandidate } from '~/domains/organizations/index.server'
import { parseForm } from '~/utils/form.server'
import { invariantResponse } from '~/utils/guards.server'

/** Shared by /office/suppliers (recommend) and /admin/suppliers (verify): paging, reading the form, answering. */

export const ADMISSION_PAGE_SIZE = 20

const pageQuery = z.object({ page: z.coerce.number().int().min(1).max(100_000).default(1) })

/** The request's page of candidates (the domain lists them all, the longest waiting first). */
export function pageOf(request: Request, candidates: SupplierCandidate[]): AdmissionPage {
  const parsed = pageQuery.safeParse({ page: new URL(request.url).searchParams.get('page') || undefined })
  invariantResponse(parsed.success, 'Bad request: page')
  const { page } = parsed.data
  return {
    items: candidates.slice((page - 1) * ADMISSION_PAGE_SIZE, page * ADMISSION_PAGE_SIZE),
    total: candidates.length,
    page,
    pageSize: ADMISSION_PAGE_SIZE,
  }
}

export function readAdmission(request: Request) {
  return parseForm(request, supplierAdmissionForm)
}

type Submission = Awaited<ReturnType<typeof readAdmission>>

/** Answers an invalid form next to its fields (400); null when the form is valid. */
export function invalidAdmission(submission: Submission) {
  if (submission.status === 'success') return null
  const sent = submission.payload.supplierOrgId
  return data<AdmissionAnswer>(
    {
      supplierOrgId: typeof sent === 'string' ? sent : '',
      result: submission.reply(),
      done: null,
      error: null,
    },
    { status: 400 },
  )
}

/** The domain's result as the page's answer: 404 when not found, 409 when the step is not (or no longer) open. */
export function admissionAnswer(
  supplierOrgId: string,
  result: { ok: true; name: string } | { ok: false; error: NonNullable<AdmissionAnswer['error']> },
) {
  if (result.ok)
    return data<AdmissionAnswer>({ supplierOrgId, result: null, done: { name: result.name }, error: null })
  return data<AdmissionAnswer>(
    { supplierOrgId, result: null, done: null, error: result.error },
    { status: result.error === 'not_found' ? 404 : 409 },
  )
}
