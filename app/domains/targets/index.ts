// The targets domain's public face (client-safe): rules pages and components share with the server.
export { headlineTarget, periodElapsedBp } from './pace'
