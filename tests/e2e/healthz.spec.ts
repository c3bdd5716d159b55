import { expect, test } from './fixtures'

test('a monitor polls /healthz and gets the documented JSON', async ({ request }) => {
  // The search index builds in the background after start: 'degraded' until then, 'ok' once ready.
  await expect
    .poll(async () => {
      const response = await request.get('/healthz')
      expect(response.status()).toBe(200)
      expect(response.headers()['cache-control']).toBe('no-store')
      return response.json()
    })
    .toEqual({ status: 'ok', db: 'ok', search: 'ok' })
})
