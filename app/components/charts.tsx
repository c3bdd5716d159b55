import { useId } from 'react'

/**
 * Hand-drawn SVG charts, rendered on the server (they need no JavaScript). Each carries a <title> and <desc> for
 * screen readers, and each page puts a table of the same numbers beside it, so the figures never depend on the
 * picture. Values are bigint-safe decimal strings; the drawing scales them to the box, so precision beyond a pixel
 * does not matter here.
 */

const ratio = (value: bigint, max: bigint) => (max <= 0n ? 0 : Number((value * 10_000n) / max) / 10_000)

const dayNumber = (date: string) =>
  Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10)) / 86_400_000

/** The cumulative counted amount over the period, against the straight line even progress toward the goal needs. */
export function CumulativeChart({
  title,
  description,
  periodStart,
  periodEnd,
  goal,
  points,
  today,
  legendActual,
  legendPace,
}: {
  title: string
  description: string
  periodStart: string
  periodEnd: string
  goal: string
  points: Array<{ day: string; fen: string }>
  today: string
  legendActual: string
  legendPace: string
}) {
  const id = useId()
  const width = 600
  const height = 240
  const pad = { left: 8, right: 8, top: 12, bottom: 34 }
  const start = dayNumber(periodStart)
  const span = Math.max(1, dayNumber(periodEnd) - start + 1)
  const last = points.length > 0 ? BigInt(points[points.length - 1]!.fen) : 0n
  const max = BigInt(goal) > last ? BigInt(goal) : last
  const x = (day: string) => pad.left + ((dayNumber(day) - start + 1) / span) * (width - pad.left - pad.right)
  const y = (fen: bigint) => height - pad.bottom - ratio(fen, max) * (height - pad.top - pad.bottom)
  const actual = [
    `${pad.left},${y(0n)}`,
    ...points.map((p) => `${x(p.day).toFixed(1)},${y(BigInt(p.fen)).toFixed(1)}`),
  ]
  const todayX = today < periodStart ? null : x(today > periodEnd ? periodEnd : today)
  return (
    <figure className="w-full">
      <svg
        role="img"
        aria-labelledby={`${id}-t`}
        aria-describedby={`${id}-d`}
        viewBox={`0 0 ${width} ${height}`}
        className="h-auto w-full rounded border border-stone-200 bg-white"
      >
        <title id={`${id}-t`}>{title}</title>
        <desc id={`${id}-d`}>{description}</desc>
        <line
          x1={pad.left}
          y1={height - pad.bottom}
          x2={width - pad.right}
          y2={height - pad.bottom}
          stroke="#a8a29e"
        />
        {/* Pace: from nothing at the start to the goal on the last day. */}
        <line
          x1={pad.left}
          y1={y(0n)}
          x2={width - pad.right}
          y2={y(BigInt(goal))}
          stroke="#78716c"
          strokeDasharray="6 4"
          strokeWidth={2}
        />
        {todayX === null ? null : (
          <line x1={todayX} y1={pad.top} x2={todayX} y2={height - pad.bottom} stroke="#d6d3d1" />
        )}
        <polyline points={actual.join(' ')} fill="none" stroke="#b91c1c" strokeWidth={3} />
        <text x={pad.left} y={height - 6} fontSize={20} fill="#57534e">
          {periodStart}
        </text>
        <text x={width - pad.right} y={height - 6} fontSize={20} fill="#57534e" textAnchor="end">
          {periodEnd}
        </text>
      </svg>
      <figcaption className="mt-1 flex flex-wrap gap-4 text-xs text-stone-600">
        <span>
          <span aria-hidden="true" className="mr-1 inline-block h-0.5 w-5 bg-red-700 align-middle" />
          {legendActual}
        </span>
        <span>
          <span
            aria-hidden="true"
            className="mr-1 inline-block w-5 border-t-2 border-dashed border-stone-500 align-middle"
          />
          {legendPace}
        </span>
      </figcaption>
    </figure>
  )
}

/** Horizontal bars, largest first (the rows come sorted), each labelled with its name and formatted figure. */
export function BarChart({
  title,
  description,
  rows,
}: {
  title: string
  description: string
  rows: Array<{ key: string; label: string; value: string; display: string }>
}) {
  const id = useId()
  const shown = rows.slice(0, 12)
  // Sized for a phone: the 600-unit box is drawn about 330 px wide there, so text is large in its own units.
  const rowHeight = 40
  const width = 600
  const labelWidth = 190
  const height = Math.max(1, shown.length) * rowHeight + 8
  const max = shown.reduce((m, r) => (BigInt(r.value) > m ? BigInt(r.value) : m), 0n)
  return (
    <svg
      role="img"
      aria-labelledby={`${id}-t`}
      aria-describedby={`${id}-d`}
      viewBox={`0 0 ${width} ${height}`}
      className="h-auto w-full rounded border border-stone-200 bg-white"
    >
      <title id={`${id}-t`}>{title}</title>
      <desc id={`${id}-d`}>{description}</desc>
      {shown.map((row, i) => {
        const value = BigInt(row.value)
        const barWidth = value > 0n ? Math.max(1, ratio(value, max) * (width - labelWidth - 150)) : 0
        const top = 4 + i * rowHeight
        return (
          <g key={row.key}>
            <text x={labelWidth - 8} y={top + 27} fontSize={22} textAnchor="end" fill="#292524">
              {row.label.length > 8 ? `${row.label.slice(0, 7)}…` : row.label}
            </text>
            <rect x={labelWidth} y={top + 8} width={barWidth} height={rowHeight - 14} fill="#b91c1c" rx={2} />
            <text x={labelWidth + barWidth + 8} y={top + 27} fontSize={20} fill="#57534e">
              {row.display}
            </text>
          </g>
        )
      })}
    </svg>
  )
}
