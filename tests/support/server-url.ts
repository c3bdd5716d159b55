/**
 * The PostgreSQL server the `server` project runs on: DATABASE_URL names a database we may connect to with a
 * role that can CREATE DATABASE; each test file gets its own database on the same server.
 */
export function adminUrl(): string {
  const url = process.env.DATABASE_URL
  if (!url) throw new Error('The server test project needs DATABASE_URL (see README, "Tests").')
  return url
}

export function databaseUrl(name: string): string {
  const url = new URL(adminUrl())
  url.pathname = `/${name}`
  return url.toString()
}
