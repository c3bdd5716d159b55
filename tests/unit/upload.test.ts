import { describe, expect, it } from 'vitest'
import { readUploads, uploadLimits } from '../../app/utils/upload.server'

const MB = 1 << 20

function multipartRequest(form: FormData): Request {
  return new Request('http://localhost/coop/products/x/photos', { method: 'POST', body: form })
}

/** A multipart body of one file of `fileBytes`, produced on the fly; `pulled` counts what the reader asked for. */
function streamedUpload(fileBytes: number) {
  const boundary = '----streamed'
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="photos"; filename="big.jpg"\r\n` +
      `Content-Type: image/jpeg\r\n\r\n`,
  )
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`)
  const chunk = Buffer.alloc(64 * 1024, 0xab)
  let sent = 0
  let headSent = false
  const counter = { pulled: 0 }
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (!headSent) {
        headSent = true
        controller.enqueue(head)
        return
      }
      if (sent >= fileBytes) {
        controller.enqueue(tail)
        controller.close()
        return
      }
      const size = Math.min(chunk.length, fileBytes - sent)
      sent += size
      counter.pulled += size
      controller.enqueue(chunk.subarray(0, size))
    },
  })
  const request = new Request('http://localhost/coop/products/x/photos', {
    method: 'POST',
    headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
    body,
    duplex: 'half',
  } as RequestInit)
  return { request, counter }
}

async function refusal(
  promise: Promise<unknown>,
): Promise<{ status: number; text: string; headers: Headers }> {
  try {
    await promise
  } catch (thrown) {
    if (thrown instanceof Response)
      return { status: thrown.status, text: await thrown.text(), headers: thrown.headers }
    throw thrown
  }
  throw new Error('expected a refusal')
}

describe('reading a streamed multipart upload', () => {
  it('gives the fields and each file with its name and declared type', async () => {
    const form = new FormData()
    form.set('intent', 'add')
    form.append('photos', new Blob([Buffer.from('first')], { type: 'image/jpeg' }), '照片一.jpg')
    form.append('photos', new Blob([Buffer.from('second')], { type: 'image/png' }), 'b.png')
    const uploads = await readUploads(multipartRequest(form))
    expect(uploads.fields).toEqual({ intent: 'add' })
    expect(uploads.files.map((f) => ({ ...f, bytes: f.bytes.toString() }))).toEqual([
      { field: 'photos', filename: '照片一.jpg', declaredType: 'image/jpeg', bytes: 'first' },
      { field: 'photos', filename: 'b.png', declaredType: 'image/png', bytes: 'second' },
    ])
  })

  it('skips a file input left empty', async () => {
    const form = new FormData()
    form.append('photos', new Blob([]), '')
    expect((await readUploads(multipartRequest(form))).files).toEqual([])
  })

  it('stops reading a 30 MB file without a Content-Length at the 10 MB limit: 413', async () => {
    const { request, counter } = streamedUpload(30 * MB)
    expect(request.headers.get('Content-Length')).toBeNull()
    const answer = await refusal(readUploads(request))
    expect(answer.status).toBe(413)
    expect(answer.text).toContain('10 MB')
    // Read up to the limit (and a little read-ahead), never the rest.
    expect(counter.pulled).toBeGreaterThanOrEqual(uploadLimits.fileBytes)
    expect(counter.pulled).toBeLessThan(uploadLimits.fileBytes + 2 * MB)
  })

  it('accepts a file of exactly the limit', async () => {
    const { request } = streamedUpload(uploadLimits.fileBytes)
    const uploads = await readUploads(request)
    expect(uploads.files[0]?.bytes.length).toBe(uploadLimits.fileBytes)
  })

  it('refuses a ninth file with 413', async () => {
    const form = new FormData()
    for (let i = 0; i < uploadLimits.files + 1; i++)
      form.append('photos', new Blob([`file ${i}`]), `${i}.jpg`)
    expect((await refusal(readUploads(multipartRequest(form)))).status).toBe(413)
  })

  it('refuses a long field with 413, a repeated field or a NUL with 400', async () => {
    const long = new FormData()
    long.set('intent', 'x'.repeat(uploadLimits.fieldBytes + 1))
    expect((await refusal(readUploads(multipartRequest(long)))).status).toBe(413)
    const repeated = new FormData()
    repeated.append('intent', 'add')
    repeated.append('intent', 'remove')
    expect((await refusal(readUploads(multipartRequest(repeated)))).status).toBe(400)
    const nul = new FormData()
    nul.set('intent', 'a\u0000b')
    expect((await refusal(readUploads(multipartRequest(nul)))).status).toBe(400)
  })

  it('refuses what is not multipart with 415, and broken multipart with 400', async () => {
    const urlencoded = new Request('http://localhost/x', {
      method: 'POST',
      body: new URLSearchParams({ intent: 'add' }),
    })
    expect((await refusal(readUploads(urlencoded))).status).toBe(415)
    const json = new Request('http://localhost/x', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    })
    expect((await refusal(readUploads(json))).status).toBe(415)
    const noBoundary = new Request('http://localhost/x', {
      method: 'POST',
      headers: { 'Content-Type': 'multipart/form-data' },
      body: 'x',
    })
    expect((await refusal(readUploads(noBoundary))).status).toBe(400)
    const unterminated = new Request('http://localhost/x', {
      method: 'POST',
      headers: { 'Content-Type': 'multipart/form-data; boundary=b' },
      body: '--b\r\nContent-Disposition: form-data; name="photos"; filename="a.jpg"\r\n\r\nno closing boundary',
    })
    expect((await refusal(readUploads(unterminated))).status).toBe(400)
  })
})
