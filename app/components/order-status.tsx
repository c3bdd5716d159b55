import { Badge } from '~/components/ui/badge'
import { useT } from '~/utils/locale'

type OrderStatus = 'pending_payment' | 'paid' | 'cancelled' | 'expired'

const tones = { pending_payment: 'amber', paid: 'green', cancelled: 'grey', expired: 'grey' } as const

export function OrderStatusBadge({ status }: { status: OrderStatus }) {
  const t = useT()
  return (
    <span data-testid="order-status">
      <Badge tone={tones[status]}>{t(`orders.status.${status}`)}</Badge>
    </span>
  )
}
