import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { z } from 'zod'
import { FormAlert } from '~/components/forms'
import { Notice, ProductHeader, useCoopLayout } from '~/components/coop-console'
import { ListingForm } from '~/components/listing-form'
import {
  archiveListing,
  getCoopConsole,
  getListingForEdit,
  listBases,
  submitListing,
  updateListing,
} from '~/domains/catalog/index.server'
import { systemClock } from '~/utils/clock'
import { activeOrgScope, coopActor, productIdParam } from '~/utils/coop-console.server'
import { getDb } from '~/utils/db.server'
import { parseForm } from '~/utils/form.server'
import { invariantResponse } from '~/utils/guards.server'
import type { MessageKey } from '~/utils/i18n'
import { useT } from '~/utils/locale'
import { requireAccess } from '~/utils/permissions.server'
import { useIsPending } from '~/utils/use-is-pending'

export const meta: MetaFunction = () => [{ title: '编辑商品 · 合作社后台 · 消费帮扶集市' }]

/** One of the cooperative's listings, as its form shows it; another cooperative's is not found. */
export async function loader(args: LoaderFunctionArgs) {
  const auth = requireAccess(args, 'routes/coop.products.$productId', 'loader', activeOrgScope(args))
  const productId = productIdParam(args.params)
  const actor = coopActor(auth)
  const db = getDb()
  const [listing, coop, bases] = await Promise.all([
    getListingForEdit(db, { ...actor, productId }),
    getCoopConsole(db, actor),
    listBases(db, actor),
  ])
  invariantResponse(coop && bases, '无权访问 / Forbidden', { status: 403 })
  invariantResponse(listing, '商品不存在 / Not found', { status: 404 })
  return {
    listing,
    places: coop.places,
    regionName: coop.regionName,
    // The bases in use, and the one the listing names even if it has been retired since.
    bases: bases
      .filter((b) => !b.archived || b.id === listing.form.baseId)
      .map((b) => ({ id: b.id, name: b.name })),
  }
}

const intentForm = z.object({ intent: z.enum(['save', 'submit', 'archive']) })

type Answer = {
  result: ReturnType<Awaited<ReturnType<typeof parseForm<typeof intentForm>>>['reply']> | null
  done: MessageKey | null
  refusal: MessageKey | null
}

export async function action(args: ActionFunctionArgs) {
  const productId = productIdParam(args.params)
  const submission = await parseForm(args.request, intentForm)
  const sent = submission.payload.intent
  invariantResponse(submission.status === 'success' && typeof sent === 'string', 'Unknown intent')
  const auth = requireAccess(args, 'routes/coop.products.$productId', 'action', {
    ...activeOrgScope(args),
    intent: sent,
  })
  const actor = { ...coopActor(auth), productId }
  const answer = (outcome: Partial<Answer>, status = 200) =>
    data<Answer>({ result: null, done: null, refusal: null, ...outcome }, { status })
  const notFound = () => invariantResponse(false, '商品不存在 / Not found', { status: 404 })
  const db = getDb()
  switch (submission.value.intent) {
    case 'save': {
      const result = await updateListing(db, { ...actor, form: submission.payload }, systemClock)
      if (result.ok)
        return answer({
          done: result.sentToReview ? 'listing.result.sentToReview' : 'listing.result.updated',
        })
      if (result.error === 'not_found') return notFound()
      if (result.error === 'archived') return answer({ refusal: 'listing.error.archived' }, 409)
      return answer({ result: submission.reply({ fieldErrors: result.errors }) }, 400)
    }
    case 'submit': {
      const result = await submitListing(db, actor, systemClock)
      if (result.ok) return answer({ done: 'listing.result.submitted' })
      if (result.error === 'not_found') return notFound()
      return answer({ refusal: `listing.error.${result.error}` }, 409)
    }
    case 'archive': {
      const result = await archiveListing(db, actor, systemClock)
      if (result.ok) return answer({ done: 'listing.result.archived' })
      if (result.error === 'not_found') return notFound()
      return answer({ refusal: 'listing.error.already_archived' }, 409)
    }
  }
}

export default function EditProduct() {
  const t = useT()
  const { listing, places, bases, regionName } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [params] = useSearchParams()
  const coop = useCoopLayout()
  const busy = useIsPending()
  const created = params.get('done') === 'created' && !actionData
  const submittable = listing.status === 'draft' || listing.status === 'rejected'
  const archived = listing.status === 'archived'
  return (
    <div className="max-w-3xl space-y-4">
      <ProductHeader
        productId={listing.productId}
        name={listing.form.name}
        status={listing.status}
        title={t('console.edit.title')}
      />
      {created ? <Notice>{t('listing.result.created')}</Notice> : null}
      {actionData?.done ? <Notice>{t(actionData.done)}</Notice> : null}
      {actionData?.refusal ? <FormAlert errors={[actionData.refusal]} /> : null}
      {listing.rejectionReason ? (
        <section
          aria-labelledby="rejected-title"
          className="rounded border-2 border-red-300 bg-red-50 p-4 text-red-900"
        >
          <h3 id="rejected-title" className="font-semibold">
            {t('console.edit.rejected')}
          </h3>
          <p className="mt-1" data-testid="rejection-reason">
            {listing.rejectionReason}
          </p>
          <p className="mt-2 text-sm">{t('console.edit.rejectedHint')}</p>
        </section>
      ) : null}
      {listing.pendingBecause ? (
        <p className="rounded border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900">
          {t(`listing.pending.${listing.pendingBecause}`)}
        </p>
      ) : null}
      {archived ? <p className="text-sm text-stone-600">{t('console.edit.archivedHint')}</p> : null}
      {listing.status === 'active' ? (
        <p className="text-sm">
          <Link to={`/products/${listing.slug}`} className="text-brand-700 underline">
            {t('console.edit.view')}
          </Link>
        </p>
      ) : null}

      <ListingForm
        mode="edit"
        lastResult={actionData?.result}
        defaultValue={listing.form}
        places={places}
        bases={bases}
        regionName={regionName}
        disabled={archived}
      />

      {submittable || !archived ? (
        <div className="grid gap-4 border-t border-stone-200 pt-4 sm:grid-cols-2">
          {submittable ? (
            <Form method="post" className="space-y-2">
              <input type="hidden" name="intent" value="submit" />
              <p className="text-sm text-stone-600">
                {coop && !coop.admitted ? t('console.notAdmitted') : t('console.form.submitHint')}
              </p>
              <button
                type="submit"
                disabled={busy}
                className="rounded bg-brand-700 px-4 py-2 text-white hover:bg-brand-800 disabled:opacity-60"
              >
                {t('console.form.submit')}
              </button>
            </Form>
          ) : null}
          {!archived ? (
            <Form
              method="post"
              className="space-y-2"
              onSubmit={(event) => {
                if (!window.confirm(t('console.form.archiveConfirm'))) event.preventDefault()
              }}
            >
              <input type="hidden" name="intent" value="archive" />
              <p className="text-sm text-stone-600">{t('console.form.archiveHint')}</p>
              <button
                type="submit"
                disabled={busy}
                className="rounded border border-red-300 px-4 py-2 text-red-700 hover:bg-red-50 disabled:opacity-60"
              >
                {t('console.form.archive')}
              </button>
            </Form>
          ) : null}
        </div>
      ) : null}
    </div>
  )
}
