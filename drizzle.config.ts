import { defineConfig } from 'drizzle-kit'

// Generates SQL migrations from db/schema into db/migrations. Never `push`: migrations are committed and applied
// by `npm run db:migrate` (under an advisory lock) so every database follows the same history.
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/schema',
  out: './db/migrations',
  casing: 'snake_case',
})
