// The orders domain's public face: other domains, routes and scripts import from here, never from the files beside it.
export { cartErrorMessage, cartIssueMessage } from './cart-messages'
export { parseCheckoutForm } from './checkout-forms'
