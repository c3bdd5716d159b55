import type { ReactNode } from 'react'

const tones = {
  green: 'bg-brand-100 text-brand-800',
  blue: 'bg-sky-100 text-sky-800',
  amber: 'bg-amber-100 text-amber-800',
  red: 'bg-red-100 text-red-800',
  grey: 'bg-stone-100 text-stone-700',
} as const

export function Badge({ tone = 'grey', children }: { tone?: keyof typeof tones; children: ReactNode }) {
  return (
    <span className={`inline-block shrink-0 whitespace-nowrap rounded px-2 py-0.5 text-xs ${tones[tone]}`}>
      {children}
    </span>
  )
}
