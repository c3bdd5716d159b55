import { Form, useLocation } from '@remix-run/react'
import { useLocale, useT } from '~/utils/locale'

/**
 * A real form, so switching works without JavaScript too; the server remembers the choice in a cookie. It reloads
 * the document (reloadDocument): the browser holds only the current language's messages (app/entry.client.tsx),
 * and a new document loads the other's.
 */
export function LanguageSwitch() {
  const t = useT()
  const locale = useLocale()
  const location = useLocation()
  const other = locale === 'zh' ? 'en' : 'zh'
  return (
    <Form method="post" action="/language" reloadDocument aria-label={t('nav.language')}>
      <input type="hidden" name="lang" value={other} />
      <input type="hidden" name="redirectTo" value={`${location.pathname}${location.search}`} />
      <button
        type="submit"
        lang={other === 'en' ? 'en' : 'zh-CN'}
        className="rounded border border-stone-300 px-2 py-1 text-sm hover:bg-stone-100"
      >
        {t(other === 'en' ? 'nav.switchToEnglish' : 'nav.switchToChinese')}
      </button>
    </Form>
  )
}
