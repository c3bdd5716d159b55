import { Readable } from 'node:stream'
import type { ReadableStream as NodeReadableStream } from 'node:stream/web'
import busboy from 'busboy'

/**
 * Reading a multipart upload (photos, certificate evidence) as it streams in. Remix's `request.formData()` would
 * buffer the whole body and every file in it; here each file is counted as it arrives and the read stops at the
 * first byte over its limit, so a 30 MB file costs at most the limit in memory, with or without a Content-Length.
 * The body as a whole is limited before this runs (server/body-limit.ts, a streamed class per upload path).
 */
export const uploadLimits = {
  /** Per file. */
  fileBytes: 10 * 1024 * 1024,
  files: 8,
  /** Plain fields beside the files (an intent, a redirect): few and short. */
  fields: 10,
  fieldBytes: 1024,
  fieldNameBytes: 64,
}

export type UploadLimits = typeof uploadLimits

export type UploadedFile = {
  /** The form field it came in. */
  field: string
  /** As the browser sent it; a claim only (what the bytes are is decided by app/services/files/sniff.ts). */
  filename: string
  declaredType: string
  bytes: Buffer
}

export type Uploads = { fields: Record<string, string>; files: UploadedFile[] }

function formatMb(bytes: number): string {
  return `${Math.round((bytes / (1 << 20)) * 10) / 10} MB`
}

function refuse(status: 400 | 413 | 415, message: string): Response {
  // What becomes of the unread rest of the body is the server's business (server/body-limit.ts).
  return new Response(message, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })
}

/**
 * The fields and files of a multipart/form-data request. Throws a Response: 415 when the body is not multipart,
 * 413 when a file is over `fileBytes` or there are more files or fields than allowed, 400 when the body cannot be
 * parsed, repeats a field or holds a NUL byte in one. A file input left empty (no name, no bytes) is no file.
 */
export function readUploads(request: Request, limits: UploadLimits = uploadLimits): Promise<Uploads> {
  const contentType = request.headers.get('Content-Type') ?? ''
  if (contentType.split(';')[0]!.trim().toLowerCase() !== 'multipart/form-data') {
    return Promise.reject(
      refuse(415, '请以 multipart/form-data 上传 / Send the upload as multipart/form-data'),
    )
  }
  if (!request.body) return Promise.reject(refuse(400, '上传内容为空 / The upload is empty'))

  let parser: busboy.Busboy
  try {
    parser = busboy({
      headers: { 'content-type': contentType },
      // Browsers send file names as raw UTF-8 (照片.jpg), not in the RFC 2231 form busboy would otherwise expect.
      defParamCharset: 'utf8',
      limits: {
        // busboy reports reaching its limit, not passing it: one byte more tells a file of exactly
        // `fileBytes` (accepted) from a longer one.
        fileSize: limits.fileBytes + 1,
        files: limits.files,
        fields: limits.fields,
        fieldSize: limits.fieldBytes,
        fieldNameSize: limits.fieldNameBytes,
        parts: limits.files + limits.fields,
      },
    })
  } catch {
    // No boundary, or an unparsable Content-Type.
    return Promise.reject(refuse(400, '上传内容无法解析 / The upload could not be read'))
  }
  const source = Readable.fromWeb(request.body as NodeReadableStream<Uint8Array>)

  return new Promise<Uploads>((resolve, reject) => {
    const fields: Record<string, string> = {}
    const files: UploadedFile[] = []
    let settled = false
    const fail = (response: Response) => {
      if (settled) return
      settled = true
      reject(response)
      // Stop reading: the rest of the body is neither parsed nor held (the request's stream is cancelled). Not
      // while busboy is still inside the event that led here: it touches its file stream after emitting.
      process.nextTick(() => {
        source.unpipe(parser)
        source.destroy()
        parser.destroy()
      })
    }
    const tooMany = () =>
      fail(
        refuse(
          413,
          `文件或字段过多（最多 ${limits.files} 个文件） / Too many files or fields (at most ${limits.files} files)`,
        ),
      )

    parser.on('file', (field, stream, info) => {
      const chunks: Buffer[] = []
      let size = 0
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length
        chunks.push(chunk)
      })
      stream.on('limit', () =>
        fail(
          refuse(
            413,
            `文件过大（每个文件上限 ${formatMb(limits.fileBytes)}） / File too large (limit ${formatMb(limits.fileBytes)} each)`,
          ),
        ),
      )
      // A part cut short (a broken body, or the parser stopped after a refusal) ends its file stream in an error.
      stream.on('error', () => fail(refuse(400, '上传内容无法解析 / The upload could not be read')))
      stream.on('end', () => {
        if (settled || stream.truncated) return
        const filename = info.filename ?? ''
        if (filename === '' && size === 0) return
        files.push({ field, filename, declaredType: info.mimeType, bytes: Buffer.concat(chunks, size) })
      })
    })
    parser.on('field', (name, value, info) => {
      if (info.nameTruncated || info.valueTruncated) {
        fail(refuse(413, '字段过长 / A field is too long'))
      } else if (Object.hasOwn(fields, name)) {
        fail(refuse(400, '字段重复 / A field was sent twice'))
      } else if (name.includes('\u0000') || value.includes('\u0000')) {
        fail(refuse(400, '表单含有 NUL 字符 / The form contains a NUL byte'))
      } else {
        fields[name] = value
      }
    })
    parser.on('filesLimit', tooMany)
    parser.on('fieldsLimit', tooMany)
    parser.on('partsLimit', tooMany)
    parser.on('error', () => fail(refuse(400, '上传内容无法解析 / The upload could not be read')))
    parser.on('close', () => {
      if (settled) return
      settled = true
      resolve({ fields, files })
    })
    // The body ended early or was cut off by the body limit (which has answered 413 itself by then).
    source.on('error', () => fail(refuse(400, '上传中断 / The upload was interrupted')))
    source.pipe(parser)
  })
}
