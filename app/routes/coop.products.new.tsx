import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { ListingForm } from '~/components/listing-form'
import { newListingSchema } from '~/domains/catalog'
import { createListing, getCoopConsole, listBases } from '~/domains/catalog/index.server'
import { systemClock } from '~/utils/clock'
import { activeOrgScope, coopActor } from '~/utils/coop-console.server'
import { getDb } from '~/utils/db.server'
import { parseForm } from '~/utils/form.server'
import { invariantResponse } from '~/utils/guards.server'
import { useT } from '~/utils/locale'
import { requireAccess } from '~/utils/permissions.server'

export const meta: MetaFunction = () => [{ title: '新增商品 · 合作社后台 · 消费帮扶集市' }]

/** The places (counties of the cooperative's area) and bases the form offers. */
export async function loader(args: LoaderFunctionArgs) {
  const auth = requireAccess(args, 'routes/coop.products.new', 'loader', activeOrgScope(args))
  const actor = coopActor(auth)
  const db = getDb()
  const [coop, bases] = await Promise.all([getCoopConsole(db, actor), listBases(db, actor)])
  invariantResponse(coop && bases, '无权访问 / Forbidden', { status: 403 })
  return {
    places: coop.places,
    regionName: coop.regionName,
    bases: bases.filter((b) => !b.archived).map((b) => ({ id: b.id, name: b.name })),
  }
}

/** A new listing is a draft with its opening stock; the edit page then submits it for review. */
export async function action(args: ActionFunctionArgs) {
  const auth = requireAccess(args, 'routes/coop.products.new', 'action', activeOrgScope(args))
  const submission = await parseForm(args.request, newListingSchema)
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const result = await createListing(getDb(), { ...coopActor(auth), form: submission.payload }, systemClock)
  if (!result.ok) {
    invariantResponse(result.error === 'invalid', '无权访问 / Forbidden', { status: 403 })
    return data({ result: submission.reply({ fieldErrors: result.errors }) }, { status: 400 })
  }
  return redirect(`/coop/products/${result.productId}?done=created`)
}

export default function NewProduct() {
  const t = useT()
  const { places, bases, regionName } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  // A single county: chosen already.
  const originCode = places.length === 1 ? places[0]!.code : ''
  return (
    <div className="max-w-3xl space-y-4">
      <p className="text-sm">
        <Link to="/coop/products" className="text-brand-700 underline">
          {t('console.edit.back')}
        </Link>
      </p>
      <h2 className="text-xl font-semibold">{t('console.new.title')}</h2>
      <ListingForm
        mode="new"
        lastResult={actionData?.result}
        places={places}
        bases={bases}
        regionName={regionName}
        defaultValue={{
          name: '',
          category: '',
          originCode,
          unit: '',
          price: '',
          stock: '',
          minOrderQty: '1',
          sku: '',
          description: '',
          baseId: '',
          tiers: [],
        }}
      />
    </div>
  )
}
