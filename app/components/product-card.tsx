import { Link } from '@remix-run/react'
import { categoryLabel } from '~/utils/i18n'
import { useLocale, useT } from '~/utils/locale'
import { formatFen } from '~/utils/money'
import { ProductPicture } from './product-picture'
import { Badge } from './ui/badge'

export type ProductCardView = {
  slug: string
  name: string
  category: string
  unit: string
  priceFen: number
  originCode: string
  originName: string
  originParentName: string | null
  cooperative: string
  certified: boolean
  giConfirmed: boolean
  /** The cover at card size; without one the card shows its category's illustration, marked 示意图. */
  coverUrl: string | null
}

export function ProductCard({ product }: { product: ProductCardView }) {
  const t = useT()
  const locale = useLocale()
  return (
    <li className="flex flex-col rounded-lg border border-stone-200 bg-white p-4 shadow-sm">
      <ProductPicture
        src={product.coverUrl}
        category={product.category}
        name={product.name}
        className="-mx-4 -mt-4 mb-3 w-[calc(100%+2rem)] max-w-none rounded-t-lg"
      />
      <div className="flex flex-wrap items-start justify-between gap-2">
        <h3 className="font-medium">
          <Link to={`/products/${product.slug}`} className="hover:text-brand-700 hover:underline">
            {product.name}
          </Link>
        </h3>
        <span className="text-xs text-stone-500">{categoryLabel(locale, product.category)}</span>
      </div>
      <p className="mt-1 text-sm text-stone-600">
        {t('product.origin')}：
        <Link
          to={`/regions/${product.originCode}`}
          className="underline decoration-stone-300 hover:text-brand-700"
        >
          {product.originParentName ? `${product.originParentName} ` : ''}
          {product.originName}
        </Link>
      </p>
      <p className="mt-1 text-sm text-stone-600">
        {t('product.cooperative')}：{product.cooperative}
      </p>
      <div className="mt-2 flex flex-wrap gap-1">
        {product.giConfirmed ? <Badge tone="green">{t('product.gi')}</Badge> : null}
        {product.certified ? <Badge tone="blue">{t('product.certifiedBadge')}</Badge> : null}
      </div>
      <p className="mt-auto pt-2 text-lg font-semibold text-earth-700">
        {formatFen(product.priceFen, locale)}
        <span className="ml-1 text-sm font-normal text-stone-500">/ {product.unit}</span>
      </p>
    </li>
  )
}

export function ProductGrid({ products }: { products: ProductCardView[] }) {
  return (
    <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
      {products.map((product) => (
        <ProductCard key={product.slug} product={product} />
      ))}
    </ul>
  )
}
