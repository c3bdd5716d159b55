// The orders domain's public face: other domains, routes and scripts import from here, never from the files beside it.
export { cancelOrderForm, cartChangeForm, orderPageForm } from './cart-forms'
export { type CartAnswer, cartAnswerMessage, cartErrorMessage, cartIssueMessage } from './cart-messages'
export { checkoutForm } from './checkout-forms'
export { buyerOrganizationKinds, isBuyerOrganizationKind, orderKindFor } from './order-kind'
export { normalizePhone } from './checkout-forms'
