import { useT } from '~/utils/locale'

/**
 * The illustration drawn for this project for each product category (public/illustrations/), shown — marked 示意图 —
 * wherever a product has no photo of its own, so no card or page shows an empty or broken box.
 */
const illustrations: Record<string, string> = {
  粮油: 'grain-oil',
  蔬菜: 'vegetables',
  水果: 'fruit',
  茶叶: 'tea',
  食用菌: 'mushrooms',
  中药材: 'herbs',
  畜禽肉蛋: 'livestock',
  水产: 'aquatic',
  加工食品: 'processed',
  花卉苗木: 'flowers',
  手工艺品: 'crafts',
}

export function illustrationUrl(category: string): string {
  return `/illustrations/${illustrations[category] ?? 'other'}.svg`
}

/**
 * A product's picture: its cover photo, or its category's illustration with a 示意图 mark. The box keeps a 4:3 shape
 * before anything loads (width and height), so the layout does not jump.
 */
export function ProductPicture({
  src,
  category,
  name,
  className = '',
  loading = 'lazy',
}: {
  src: string | null
  category: string
  name: string
  /** Size and placement of the box. */
  className?: string
  loading?: 'lazy' | 'eager'
}) {
  const t = useT()
  if (src) {
    return (
      <img
        src={src}
        alt={name}
        width={480}
        height={360}
        loading={loading}
        decoding="async"
        className={`aspect-[4/3] object-cover ${className}`}
      />
    )
  }
  const mark = t('product.illustration')
  return (
    <span className={`relative block aspect-[4/3] overflow-hidden ${className}`}>
      <img
        src={illustrationUrl(category)}
        alt={`${name}（${mark}）`}
        width={480}
        height={360}
        loading={loading}
        decoding="async"
        className="h-full w-full object-cover"
      />
      <span
        aria-hidden="true"
        className="absolute bottom-1 right-1 rounded bg-white/85 px-1.5 py-0.5 text-[10px] leading-none text-stone-600"
      >
        {mark}
      </span>
    </span>
  )
}
