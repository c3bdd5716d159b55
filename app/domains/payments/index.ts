// The payments domain's public face: other domains, routes and scripts import from here, never from the files beside it.
export { paymentForm } from './payment-forms'
export { type PaymentQueueFilter, paymentQueueFilters } from './payment-queue'
