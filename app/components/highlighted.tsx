import { Fragment } from 'react'

const PRE = '<mark>'
const POST = '</mark>'

/** Renders a search snippet whose matches sit between <mark> markers, as text and <mark> elements (never as HTML). */
export function Highlighted({ snippet }: { snippet: string }) {
  const parts: Array<{ text: string; mark: boolean }> = []
  let rest = snippet
  while (rest.length > 0) {
    const start = rest.indexOf(PRE)
    if (start === -1) {
      parts.push({ text: rest, mark: false })
      break
    }
    if (start > 0) parts.push({ text: rest.slice(0, start), mark: false })
    const end = rest.indexOf(POST, start + PRE.length)
    if (end === -1) {
      parts.push({ text: rest.slice(start + PRE.length), mark: false })
      break
    }
    parts.push({ text: rest.slice(start + PRE.length, end), mark: true })
    rest = rest.slice(end + POST.length)
  }
  return (
    <>
      {parts.map((part, index) =>
        part.mark ? (
          <mark key={index} className="rounded bg-amber-100 px-0.5 text-inherit">
            {part.text}
          </mark>
        ) : (
          <Fragment key={index}>{part.text}</Fragment>
        ),
      )}
    </>
  )
}
