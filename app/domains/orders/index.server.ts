// The orders domain's public face (server-only): other domains, routes and scripts import from here, never from the files beside it.
export { cartCookieHeader, cartOwnerOf, clearCartCookie, readCartCookie } from './cart-cookie.server'
export {
  type CartChangeError,
  type CartItemView,
  cartLineCount,
  changeCart,
  getCartView,
  mergeIntoCart,
} from './cart.server'
export { checkoutCart } from './checkout.server'
export {
  getBuyerOrder,
  listBankTransfers,
  listBuyerOrders,
  type PaymentQueueItem,
  type TimelineStep,
} from './order-views.server'
export {
  cancelOrder,
  expireOrders,
  placeOrder,
  type PlaceOrderError,
  type PlaceOrderInput,
  type PlaceOrderResult,
} from './orders.server'
export {
  AUTO_RECEIVE_DAYS,
  autoConfirmReceipts,
  confirmReceipt,
  requestSellerOrderRefund,
} from './receipts.server'
