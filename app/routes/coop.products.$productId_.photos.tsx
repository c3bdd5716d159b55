import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { EmptyState, Notice, ProductHeader } from '~/components/coop-console'
import { FormAlert } from '~/components/forms'
import { maxProductPhotos, type PhotoError } from '~/domains/catalog'
import {
  addProductPhotos,
  getListingForEdit,
  listProductPhotos,
  removeProductPhoto,
  reorderProductPhotos,
  setProductCover,
} from '~/domains/catalog/index.server'
import { systemClock } from '~/utils/clock'
import { activeOrgScope, coopActor, productIdParam } from '~/utils/coop-console.server'
import { getDb } from '~/utils/db.server'
import { invariantResponse } from '~/utils/guards.server'
import type { MessageKey } from '~/utils/i18n'
import { useT } from '~/utils/locale'
import { requireAccess } from '~/utils/permissions.server'
import { readUploads } from '~/utils/upload.server'
import { uploadRefusalKey } from '~/utils/upload-refusal'
import { useIsPending } from '~/utils/use-is-pending'

export const meta: MetaFunction = () => [{ title: '照片 · 合作社后台 · 消费帮扶集市' }]

/** A listing's photos in order, the first the cover. */
export async function loader(args: LoaderFunctionArgs) {
  const auth = requireAccess(args, 'routes/coop.products.$productId_.photos', 'loader', activeOrgScope(args))
  const productId = productIdParam(args.params)
  const actor = { ...coopActor(auth), productId }
  const db = getDb()
  const [listing, photos] = await Promise.all([getListingForEdit(db, actor), listProductPhotos(db, actor)])
  invariantResponse(listing && photos.ok, '商品不存在 / Not found', { status: 404 })
  return {
    product: { productId, name: listing.form.name, status: listing.status },
    photos: photos.photos,
  }
}

type Problem = { key: MessageKey; values?: Record<string, string | number> }
type Answer = { done: MessageKey | null; problem: Problem | null }

const intents = new Set(['upload', 'move-up', 'move-down', 'cover', 'remove'])

function problemOf(error: PhotoError): Problem {
  const key = `console.photos.error.${error.code}` as const
  switch (error.code) {
    case 'too_many':
      return { key, values: { limit: error.limit, current: error.current } }
    case 'not_an_image':
      return { key, values: { file: error.file, reason: error.reason } }
    case 'unreadable':
    case 'too_many_pixels':
      return { key, values: { file: error.file } }
    default:
      return { key }
  }
}

const statusOf: Partial<Record<PhotoError['code'], number>> = {
  not_found: 404,
  archived: 409,
  too_many: 409,
  photo_not_found: 409,
  order_mismatch: 409,
  not_an_image: 415,
}

/**
 * Every intent is a multipart form (the page's upload form, and its small buttons), read as it streams with the
 * upload limits (10 MB a file, 8 files): the path has a streamed body-limit class of its own (server/body-limit.ts).
 */
export async function action(args: ActionFunctionArgs) {
  const auth = requireAccess(args, 'routes/coop.products.$productId_.photos', 'action', activeOrgScope(args))
  const productId = productIdParam(args.params)
  const answer = (outcome: Partial<Answer>, status = 200) =>
    data<Answer>({ done: null, problem: null, ...outcome }, { status })
  let uploads: Awaited<ReturnType<typeof readUploads>>
  try {
    uploads = await readUploads(args.request)
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown
    return answer({ problem: { key: uploadRefusalKey(thrown.status) } }, thrown.status)
  }
  const intent = uploads.fields.intent ?? ''
  invariantResponse(intents.has(intent), 'Unknown intent')
  const actor = { ...coopActor(auth), productId }
  const db = getDb()
  const photoId = uploads.fields.photoId ?? ''
  const result =
    intent === 'upload'
      ? await addProductPhotos(
          db,
          {
            ...actor,
            uploads: uploads.files
              .filter((file) => file.field === 'photos')
              .map((file) => ({ filename: file.filename, bytes: file.bytes })),
          },
          systemClock,
        )
      : intent === 'cover'
        ? await setProductCover(db, { ...actor, photoId })
        : intent === 'remove'
          ? await removeProductPhoto(db, { ...actor, photoId })
          : await reorderProductPhotos(db, {
              ...actor,
              photoIds: (uploads.fields.order ?? '').split(',').filter(Boolean),
            })
  if (result.ok)
    return answer({ done: intent === 'upload' ? 'console.photos.uploaded' : 'console.photos.saved' })
  invariantResponse(result.error.code !== 'not_found', '商品不存在 / Not found', { status: 404 })
  return answer({ problem: problemOf(result.error) }, statusOf[result.error.code] ?? 400)
}

/** The photos' ids with one moved one place up or down: the order the move button sends. */
function movedOrder(ids: string[], index: number, by: -1 | 1): string {
  const order = [...ids]
  const [moved] = order.splice(index, 1)
  order.splice(index + by, 0, moved!)
  return order.join(',')
}

export default function ProductPhotos() {
  const t = useT()
  const { product, photos } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const busy = useIsPending()
  const navigation = useNavigation()
  const shown = actionData ?? null
  const ids = photos.map((photo) => photo.id)
  const full = photos.length >= maxProductPhotos
  const archived = product.status === 'archived'
  // With JavaScript the upload is sent by Remix and this bar shows while it travels; without, the form posts as it is.
  const uploading = navigation.state === 'submitting' && navigation.formData?.get('intent') === 'upload'

  return (
    <div className="max-w-3xl space-y-4">
      <ProductHeader
        productId={product.productId}
        name={product.name}
        status={product.status}
        title={t('console.photos.title')}
      />
      <p className="text-sm text-stone-600">{t('console.photos.intro', { max: maxProductPhotos })}</p>
      {shown?.done ? <Notice>{t(shown.done)}</Notice> : null}
      {shown?.problem ? <FormAlert>{t(shown.problem.key, shown.problem.values)}</FormAlert> : null}
      {archived ? null : full ? (
        <p className="text-sm text-stone-600">{t('console.photos.full', { max: maxProductPhotos })}</p>
      ) : (
        <Form
          method="post"
          encType="multipart/form-data"
          action={`/coop/products/${product.productId}/photos`}
          className="space-y-2 rounded-lg border border-stone-200 bg-white p-4"
          // A new form (an empty file input) once the photos changed.
          key={photos.length}
        >
          <input type="hidden" name="intent" value="upload" />
          <label htmlFor="photo-files" className="block text-sm font-medium">
            {t('console.photos.choose')}
          </label>
          <input
            id="photo-files"
            type="file"
            name="photos"
            multiple
            required
            accept="image/jpeg,image/png,image/webp"
            className="block w-full text-sm"
          />
          <button
            type="submit"
            disabled={busy || uploading}
            className="rounded bg-brand-700 px-4 py-2 text-white hover:bg-brand-800 disabled:opacity-60"
          >
            {t('console.photos.upload')}
          </button>
          {uploading ? (
            <div className="space-y-1">
              <label htmlFor="upload-progress" className="text-sm">
                {t('console.photos.uploading')}
              </label>
              <progress id="upload-progress" className="block w-full" />
            </div>
          ) : null}
        </Form>
      )}
      {photos.length === 0 ? (
        <EmptyState>{t('console.photos.empty')}</EmptyState>
      ) : (
        <ol className="grid grid-cols-2 gap-3 sm:grid-cols-3">
          {photos.map((photo, index) => (
            <li
              key={photo.id}
              className="space-y-2 rounded-lg border border-stone-200 bg-white p-2"
              data-testid="photo"
            >
              <figure>
                <img
                  src={photo.cardUrl}
                  alt={t('console.photos.alt', { name: product.name, position: index + 1 })}
                  width={240}
                  height={240}
                  loading="lazy"
                  className="aspect-square w-full rounded object-cover"
                />
                <figcaption className="mt-1 text-xs text-stone-600">
                  {index === 0
                    ? t('console.photos.cover')
                    : t('console.photos.caption', { position: index + 1 })}
                </figcaption>
              </figure>
              {archived ? null : (
                <div className="flex flex-wrap gap-1 text-xs">
                  {index > 0 ? (
                    <PhotoButton
                      intent="move-up"
                      order={movedOrder(ids, index, -1)}
                      label={t('console.photos.moveUp')}
                    />
                  ) : null}
                  {index < photos.length - 1 ? (
                    <PhotoButton
                      intent="move-down"
                      order={movedOrder(ids, index, 1)}
                      label={t('console.photos.moveDown')}
                    />
                  ) : null}
                  {index > 0 ? (
                    <PhotoButton intent="cover" photoId={photo.id} label={t('console.photos.setCover')} />
                  ) : null}
                  <PhotoButton
                    intent="remove"
                    photoId={photo.id}
                    label={t('console.photos.remove')}
                    confirm={t('console.photos.removeConfirm')}
                  />
                </div>
              )}
            </li>
          ))}
        </ol>
      )}
    </div>
  )
}

/** One small multipart form per button, so that the page works without JavaScript. */
function PhotoButton({
  intent,
  label,
  photoId,
  order,
  confirm,
}: {
  intent: string
  label: string
  photoId?: string
  order?: string
  confirm?: string
}) {
  const busy = useIsPending()
  return (
    <Form
      method="post"
      encType="multipart/form-data"
      onSubmit={(event) => {
        if (confirm && !window.confirm(confirm)) event.preventDefault()
      }}
    >
      <input type="hidden" name="intent" value={intent} />
      {photoId ? <input type="hidden" name="photoId" value={photoId} /> : null}
      {order ? <input type="hidden" name="order" value={order} /> : null}
      <button
        type="submit"
        disabled={busy}
        className={`rounded border px-2 py-1 disabled:opacity-60 ${
          intent === 'remove'
            ? 'border-red-300 text-red-700 hover:bg-red-50'
            : 'border-stone-300 hover:bg-stone-100'
        }`}
      >
        {label}
      </button>
    </Form>
  )
}
