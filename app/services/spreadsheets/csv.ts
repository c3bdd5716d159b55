import Papa from 'papaparse'

/** One data row of an uploaded table, with the line of the file it starts on (what a person sees in an editor). */
export type SheetRow = { line: number; cells: string[] }

export type TableResult = { ok: true; rows: SheetRow[] } | { ok: false; error: 'too_many_rows' | 'malformed' }

/**
 * Rows of a CSV text (already decoded): comma, tab or semicolon separated (guessed), quoted fields may hold commas
 * and line breaks. Blank lines are skipped; cells are trimmed. More than `maxRows` non-blank rows is refused before
 * the rest is read, so a huge file costs no more than its limit.
 */
export function parseCsv(text: string, options: { maxRows: number }): TableResult {
  const rows: SheetRow[] = []
  let line = 1
  let consumed = 0
  let tooMany = false
  let malformed = false
  Papa.parse<string[]>(text, {
    delimitersToGuess: [',', '\t', ';'],
    skipEmptyLines: false,
    step: (result, parser) => {
      const end = result.meta.cursor
      const raw = text.slice(consumed, end)
      const startLine = line
      line += countLineBreaks(raw)
      consumed = end
      if (result.errors.some((e) => e.type === 'Quotes')) malformed = true
      const cells = result.data.map((c) => c.trim())
      if (cells.every((c) => c === '')) return
      if (rows.length >= options.maxRows) {
        tooMany = true
        parser.abort()
        return
      }
      rows.push({ line: startLine + leadingLineBreaks(raw), cells })
    },
  })
  if (tooMany) return { ok: false, error: 'too_many_rows' }
  if (malformed) return { ok: false, error: 'malformed' }
  return { ok: true, rows }
}

function countLineBreaks(s: string): number {
  let n = 0
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\n') n++
    else if (s[i] === '\r' && s[i + 1] !== '\n') n++
  }
  return n
}

/** Papa's cursor for a row includes the line break before it (the one that ended the previous row). */
function leadingLineBreaks(s: string): number {
  const match = /^(\r\n|\r|\n)/.exec(s)
  return match ? 1 : 0
}
