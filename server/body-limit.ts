import type { IncomingMessage } from 'node:http'
import { PassThrough, type Readable } from 'node:stream'
import type { NextFunction, Request, RequestHandler, Response } from 'express'
import { uploadLimits } from '../app/utils/upload.server'

/**
 * Request bodies are limited before anything parses them: Remix reads a form whole into memory, so without a limit
 * one anonymous POST of 100 MB to /login costs 100 MB (and more while parsing). The limit is per class of path;
 * the first class whose `matches` accepts the path applies.
 *
 * - Buffered classes (forms) read the body here, counting, and answer 413 at the first byte over the limit —
 *   whatever the action then does with it. A form is small, so holding it in memory is cheap.
 * - Streamed classes (uploads, when they come) pass the body on as a stream that counts as the route reads it; at
 *   the limit the stream stops, the client gets 413 and the route's read fails.
 *
 * Either way a Content-Length over the limit is answered 413 before a byte is read, and a body without one
 * (chunked) is cut off at the limit: the rest is never read, and the connection is closed.
 */
export type BodyLimitClass = {
  name: string
  matches: (path: string) => boolean
  maxBytes: number
  streamed: boolean
}

export const FORM_BODY_LIMIT = 64 * 1024

/**
 * A cooperative's product photos: up to 8 files of at most 10 MB each (app/utils/upload.server.ts enforces both
 * as it reads), plus the multipart framing and a few small fields. The route may be posted to as a document or as a
 * single-fetch `.data` request.
 */
export const PHOTO_UPLOAD_BODY_LIMIT = uploadLimits.files * uploadLimits.fileBytes + (1 << 20)

/** A certificate's evidence (PDF, JPEG or PNG): one file of at most 10 MB, and the certificate's few fields. */
export const EVIDENCE_UPLOAD_BODY_LIMIT = uploadLimits.fileBytes + (1 << 20)

/**
 * A requisition's order file (5 MB, app/domains/procurement BULK_FILE_BYTES) and its pasted lines and fields. The
 * route stops reading at the file's own limit and answers 413 with the page; this class limit is the backstop, set
 * well above it so that the route's answer (which names the limit) is the one a streamed upload gets.
 */
export const BULK_ORDER_BODY_LIMIT = 5 * 1024 * 1024 + (16 << 20)

export const bodyLimits: readonly BodyLimitClass[] = [
  // Upload routes declare their class here, above `forms`.
  {
    name: 'product-photos',
    matches: (p) => /^\/coop\/products\/[^/]+\/photos(\.data)?\/?$/.test(p),
    maxBytes: PHOTO_UPLOAD_BODY_LIMIT,
    streamed: true,
  },
  // Cooperative console (H1): certificate evidence.
  {
    name: 'certification-evidence',
    matches: (p) => /^\/coop\/products\/[^/]+\/certifications(\.data)?\/?$/.test(p),
    maxBytes: EVIDENCE_UPLOAD_BODY_LIMIT,
    streamed: true,
  },
  // Government procurement (issue 16): a bulk order file (5 MB) beside the requisition's fields, and a purchase's
  // evidence (10 MB) beside the plan page's fields.
  {
    name: 'requisition-upload',
    matches: (p) => /^\/unit\/requisitions\/new(\.data)?\/?$/.test(p),
    maxBytes: BULK_ORDER_BODY_LIMIT,
    streamed: true,
  },
  {
    name: 'purchase-evidence',
    matches: (p) => /^\/unit\/plan(\.data)?\/?$/.test(p),
    maxBytes: EVIDENCE_UPLOAD_BODY_LIMIT,
    streamed: true,
  },
  // Cooperative console II: a household roster file (CSV, one file of at most 10 MB).
  {
    name: 'household-import',
    matches: (p) => /^\/coop\/households\/import(\.data)?\/?$/.test(p),
    maxBytes: EVIDENCE_UPLOAD_BODY_LIMIT,
    streamed: true,
  },
  // Bank statement import (issue 18 item 5): one statement file (5 MB, STATEMENT_FILE_BYTES) and no other field.
  {
    name: 'bank-statement',
    matches: (p) => /^\/admin\/payments\/statements(\.data)?\/?$/.test(p),
    maxBytes: BULK_ORDER_BODY_LIMIT,
    streamed: true,
  },
  { name: 'forms', matches: () => true, maxBytes: FORM_BODY_LIMIT, streamed: false },
]

export function bodyLimitFor(path: string, table: readonly BodyLimitClass[] = bodyLimits): BodyLimitClass {
  const found = table.find((entry) => entry.matches(path))
  if (!found) throw new Error(`No body limit class matches ${path}: the table needs a catch-all entry`)
  return found
}

/** The body the Remix handler passes on: read already (buffered classes), or still streaming (counted). */
export type LimitedBody = { kind: 'buffer'; data: Buffer } | { kind: 'stream'; stream: Readable }

function formatBytes(bytes: number): string {
  return bytes >= 1 << 20 ? `${bytes / (1 << 20)} MB` : `${bytes / 1024} KB`
}

function tooLarge(req: IncomingMessage, res: Response, limit: BodyLimitClass) {
  if (res.headersSent) return
  // Close the connection once the answer is out: the unread rest of the body must not be read to keep it alive.
  res.setHeader('Connection', 'close')
  res
    .status(413)
    .type('text/plain')
    .send(
      `请求体过大（上限 ${formatBytes(limit.maxBytes)}） / Request body too large (limit ${formatBytes(limit.maxBytes)})`,
    )
  req.unpipe()
  req.pause()
}

const BODYLESS = new Set(['GET', 'HEAD'])

function readBuffered(req: IncomingMessage, maxBytes: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const cleanup = () => {
      req.off('data', onData)
      req.off('end', onEnd)
      req.off('error', onError)
    }
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size > maxBytes) {
        cleanup()
        resolve(null)
        return
      }
      chunks.push(chunk)
    }
    const onEnd = () => {
      cleanup()
      resolve(Buffer.concat(chunks, size))
    }
    const onError = (error: Error) => {
      cleanup()
      reject(error)
    }
    req.on('data', onData)
    req.on('end', onEnd)
    req.on('error', onError)
  })
}

/** How long the rest of a body the route did not read is discarded, after the answer, before the connection closes. */
export const LINGER_MS = 2_000

function countingStream(req: IncomingMessage, res: Response, limit: BodyLimitClass): Readable {
  const out = new PassThrough()
  let size = 0
  let discarding = false
  req.on('data', (chunk: Buffer) => {
    if (discarding) return
    size += chunk.length
    if (size > limit.maxBytes) {
      tooLarge(req, res, limit)
      out.destroy(new Error(`Request body over ${limit.maxBytes} bytes`))
      return
    }
    // The route stopped reading (it refused the upload): nothing is held for it, and nothing more is read until
    // the answer is out — reading on would let the client send the whole file while the refusal page renders.
    if (out.destroyed) {
      req.pause()
      return
    }
    if (!out.write(chunk)) {
      req.pause()
      out.once('drain', () => req.resume())
    }
  })
  req.on('end', () => out.end())
  req.on('error', (error) => out.destroy(error))
  out.once('close', () => {
    if (!discarding && !req.complete) req.pause()
  })
  // Answered before the body was read to its end (a route refused a file over its own limit, or never read the
  // body): the rest is read and thrown away for a moment, so that the client reads the answer, and then the
  // connection is closed. Closing at once with unread bytes in the socket resets the connection, and a client
  // that sees the reset drops the answer unread (the uploader would see "connection reset", not why).
  res.once('finish', () => {
    if (req.complete) return
    discarding = true
    out.destroy()
    const timer = setTimeout(() => req.socket.destroy(), LINGER_MS)
    timer.unref()
    // The whole body arrived after all: the connection is in order and may carry the next request.
    req.once('end', () => clearTimeout(timer))
    req.socket.once('close', () => clearTimeout(timer))
    req.resume()
  })
  return out
}

/**
 * Express middleware: puts the limited body on `res.locals.body` (a LimitedBody) for the Remix handler, or answers
 * 413 itself.
 */
export function limitRequestBodies(table: readonly BodyLimitClass[] = bodyLimits): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (BODYLESS.has(req.method)) {
      next()
      return
    }
    const limit = bodyLimitFor(req.path, table)
    const declared = Number(req.get('content-length'))
    if (Number.isFinite(declared) && declared > limit.maxBytes) {
      tooLarge(req, res, limit)
      return
    }
    if (limit.streamed) {
      res.locals.body = { kind: 'stream', stream: countingStream(req, res, limit) } satisfies LimitedBody
      next()
      return
    }
    readBuffered(req, limit.maxBytes).then(
      (data) => {
        if (data === null) {
          tooLarge(req, res, limit)
          return
        }
        res.locals.body = { kind: 'buffer', data } satisfies LimitedBody
        next()
      },
      (error: unknown) => {
        // The client went away mid-body: nobody is left to answer, and it is no error of ours.
        if (req.destroyed) res.destroy()
        else next(error)
      },
    )
  }
}
