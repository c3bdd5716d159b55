import http from 'node:http'
import { describe, expect, it } from 'vitest'
import { bodyLimits, FORM_BODY_LIMIT } from '../../server/body-limit'
import { startTestApp } from '../support/app-server'
import { openTestDatabase, testDbKind } from '../support/db'

const MB = 1 << 20

type Answer = { status: number; body: string; ms: number; sent: number }

/**
 * POSTs `total` bytes of form data produced on the fly (the client holds one 64 KB chunk, never the body), with or
 * without a Content-Length (chunked), and stops sending as soon as the answer arrives.
 */
function postBody(url: string, total: number, options: { contentLength: boolean }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const target = new URL(url)
    const headers: Record<string, string> = {
      'Content-Type': 'application/x-www-form-urlencoded',
      Origin: target.origin,
      'Sec-Fetch-Site': 'same-origin',
    }
    if (options.contentLength) headers['Content-Length'] = String(total)
    const request = http.request(target, { method: 'POST', headers })
    const chunk = Buffer.alloc(64 * 1024, 'a')
    let sent = 0
    let answered = false
    request.on('response', (response) => {
      answered = true
      let body = ''
      response.setEncoding('utf8')
      response.on('data', (text: string) => (body += text))
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, body, ms: performance.now() - started, sent }),
      )
      response.on('error', reject)
    })
    // Writing into a connection the server closed after answering fails: expected, once the answer is in.
    request.on('error', (error) => {
      if (!answered) reject(error)
    })
    const pump = () => {
      while (!answered && sent < total) {
        const room = request.write(chunk.subarray(0, Math.min(chunk.length, total - sent)))
        sent += Math.min(chunk.length, total - sent)
        if (!room) {
          request.once('drain', pump)
          return
        }
      }
      if (!answered) request.end()
    }
    pump()
  })
}

describe(`request body limits (${testDbKind()})`, async () => {
  const handle = await openTestDatabase('seeded')
  const { origin } = await startTestApp(handle)

  it.each([
    ['with a Content-Length', true],
    ['chunked, without one', false],
  ])(
    'answers an anonymous 100 MB form POST to /login %s with a quick 413, without reading it',
    async (_, contentLength) => {
      global.gc?.()
      const rssBefore = process.memoryUsage().rss
      const answer = await postBody(`${origin}/login`, 100 * MB, { contentLength })
      const grown = process.memoryUsage().rss - rssBefore
      expect(answer.status).toBe(413)
      expect(answer.body).toContain('64 KB')
      expect(answer.ms).toBeLessThan(5_000)
      // The server stopped reading at the limit: the client could hand over little more than the socket buffers.
      expect(answer.sent).toBeLessThan(32 * MB)
      expect(grown).toBeLessThan(50 * MB)
    },
  )

  it('accepts a form just under the limit, and refuses one just over it', async () => {
    const padding = (bytes: number) =>
      `lang=en&redirectTo=%2F&pad=${'a'.repeat(bytes - 'lang=en&redirectTo=%2F&pad='.length)}`
    for (const contentLength of [true, false]) {
      const under = await fetch(`${origin}/language`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: origin },
        body: contentLength ? padding(FORM_BODY_LIMIT) : new Blob([padding(FORM_BODY_LIMIT)]).stream(),
        ...(contentLength ? {} : { duplex: 'half' }),
      } as RequestInit)
      expect(under.status).toBe(302)
      const over = await postBody(`${origin}/language`, FORM_BODY_LIMIT + 1, { contentLength })
      expect(over.status).toBe(413)
    }
  })

  it('lets a streamed class (an upload route) count as the route reads, and cut it off at its own limit', async () => {
    const { origin: uploads } = await startTestApp(handle, {
      bodyLimits: [
        { name: 'test-upload', matches: (path) => path === '/language', maxBytes: 2 * MB, streamed: true },
        ...bodyLimits,
      ],
    })
    // Over the forms limit but under the class's own: read by the route as usual.
    const form = `lang=en&redirectTo=%2F&pad=${'a'.repeat(200 * 1024)}`
    const accepted = await fetch(`${uploads}/language`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: uploads },
      body: form,
    })
    expect(accepted.status).toBe(302)
    for (const contentLength of [true, false]) {
      const refused = await postBody(`${uploads}/language`, 100 * MB, { contentLength })
      expect(refused.status).toBe(413)
      expect(refused.body).toContain('2 MB')
      expect(refused.sent).toBeLessThan(32 * MB)
    }
    // The form limit still holds on every other path.
    expect((await postBody(`${uploads}/login`, FORM_BODY_LIMIT + 1, { contentLength: false })).status).toBe(
      413,
    )
  })
})
