import { Form, useFetcher, useLocation, useNavigate, useSearchParams } from '@remix-run/react'
import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react'
import { useT } from '~/utils/locale'

/** The pages whose `q` is a product search; elsewhere `q` searches something else (an order or a reference). */
const PRODUCT_SEARCH_PATHS = new Set(['/search', '/products'])

type Suggestion =
  | { kind: 'product'; text: string; id: string; slug: string }
  | { kind: 'region'; text: string; code: string }

/**
 * The header search box: a plain GET form to /search that works without JavaScript, enhanced into an ARIA 1.2
 * combobox with suggestions as you type (debounced; arrow keys, Enter and Escape work as expected).
 */
export function SearchBox() {
  const t = useT()
  const id = useId()
  const navigate = useNavigate()
  const [params] = useSearchParams()
  const { pathname } = useLocation()
  const fetcher = useFetcher<{ suggestions: Suggestion[] }>()
  const [value, setValue] = useState(PRODUCT_SEARCH_PATHS.has(pathname) ? (params.get('q') ?? '') : '')
  const [open, setOpen] = useState(false)
  const [active, setActive] = useState(-1)
  const timer = useRef<ReturnType<typeof setTimeout>>()
  const suggestions = value.trim() ? (fetcher.data?.suggestions ?? []) : []
  const listId = `${id}-suggestions`

  useEffect(() => () => clearTimeout(timer.current), [])

  const onChange = (next: string) => {
    setValue(next)
    setActive(-1)
    setOpen(true)
    clearTimeout(timer.current)
    if (next.trim()) {
      timer.current = setTimeout(
        () => fetcher.load(`/search/suggest?q=${encodeURIComponent(next.trim())}`),
        150,
      )
    }
  }

  const go = (suggestion: Suggestion) => {
    setOpen(false)
    navigate(suggestion.kind === 'product' ? `/products/${suggestion.slug}` : `/regions/${suggestion.code}`)
  }

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' && suggestions.length > 0) {
      event.preventDefault()
      setOpen(true)
      setActive((i) => (i + 1) % suggestions.length)
    } else if (event.key === 'ArrowUp' && suggestions.length > 0) {
      event.preventDefault()
      setActive((i) => (i <= 0 ? suggestions.length - 1 : i - 1))
    } else if (event.key === 'Enter' && open && active >= 0 && suggestions[active]) {
      event.preventDefault()
      go(suggestions[active])
    } else if (event.key === 'Escape') {
      setOpen(false)
      setActive(-1)
    }
  }

  const expanded = open && suggestions.length > 0
  return (
    <Form
      method="get"
      action="/search"
      role="search"
      className="relative w-full max-w-sm"
      onSubmit={() => setOpen(false)}
    >
      <label htmlFor={`${id}-input`} className="sr-only">
        {t('search.label')}
      </label>
      <div className="flex">
        <input
          id={`${id}-input`}
          name="q"
          type="search"
          role="combobox"
          autoComplete="off"
          aria-autocomplete="list"
          aria-expanded={expanded}
          aria-controls={listId}
          aria-activedescendant={expanded && active >= 0 ? `${listId}-${active}` : undefined}
          value={value}
          onChange={(event) => onChange(event.currentTarget.value)}
          onKeyDown={onKeyDown}
          onBlur={() => setTimeout(() => setOpen(false), 150)}
          onFocus={() => setOpen(true)}
          placeholder={t('search.placeholder')}
          maxLength={100}
          className="w-full rounded-l border border-stone-300 px-3 py-1.5 text-sm"
        />
        <button
          type="submit"
          className="whitespace-nowrap rounded-r bg-brand-600 px-3 text-sm text-white hover:bg-brand-700"
        >
          {t('search.submit')}
        </button>
      </div>
      <ul
        id={listId}
        role="listbox"
        aria-label={t('search.suggestions')}
        hidden={!expanded}
        className="absolute z-20 mt-1 w-full overflow-hidden rounded border border-stone-200 bg-white text-sm shadow-lg"
      >
        {suggestions.map((suggestion, index) => (
          <li
            key={`${suggestion.kind}-${suggestion.kind === 'product' ? suggestion.id : suggestion.code}`}
            id={`${listId}-${index}`}
            role="option"
            aria-selected={index === active}
            onMouseDown={(event) => {
              event.preventDefault()
              go(suggestion)
            }}
            className={`cursor-pointer px-3 py-2 ${index === active ? 'bg-brand-50 text-brand-800' : 'hover:bg-stone-50'}`}
          >
            {suggestion.text}
            {suggestion.kind === 'region' ? (
              <span className="ml-2 text-xs text-stone-500">{t('search.suggestRegion')}</span>
            ) : null}
          </li>
        ))}
      </ul>
    </Form>
  )
}
