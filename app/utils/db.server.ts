// Routes reach the database only through models; this re-export is how a route hands the shared database to a
// model call (`listTargets(getDb())`), so routes never import db/ themselves.
export { getDb } from '../../db/client.server'
