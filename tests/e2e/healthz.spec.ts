import { expect, test } from '@playwright/test'

test('a monitor polls /healthz and gets the documented JSON', async ({ request }) => {
  const response = await request.get('/healthz')
  expect(response.status()).toBe(200)
  expect(response.headers()['cache-control']).toBe('no-store')
  expect(await response.json()).toEqual({ status: 'ok', db: 'ok', search: 'ok' })
})
