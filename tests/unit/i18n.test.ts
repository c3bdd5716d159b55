import { describe, expect, it } from 'vitest'
import { localeOf, rememberLocale, translate } from '../../app/utils/i18n.server'

describe('the message catalogues', () => {
  it('never define a key in two areas (a spread would silently keep the last one)', () => {
    for (const language of ['zh', 'en'] as const) {
      const areas =
        language === 'zh'
          ? import.meta.glob<Record<string, Record<string, string>>>('../../app/messages/zh/*.ts', {
              eager: true,
            })
          : import.meta.glob<Record<string, Record<string, string>>>('../../app/messages/en/*.ts', {
              eager: true,
            })
      const seen = new Map<string, string>()
      const twice: string[] = []
      for (const [file, exports] of Object.entries(areas)) {
        for (const key of Object.keys(Object.values(exports)[0]!)) {
          if (seen.has(key)) twice.push(`${key} in ${seen.get(key)} and ${file}`)
          seen.set(key, file)
        }
      }
      expect(seen.size, language).toBeGreaterThan(500)
      expect(twice, language).toEqual([])
    }
  })

  it('fill in placeholders, in either language on the server', () => {
    expect(translate('zh', 'home.productCount', { n: 3 })).toBe('3 种产品')
    expect(translate('en', 'error.detail', { detail: 'x' })).toBe('Reason: x')
    // An unknown placeholder stays visible rather than vanishing.
    expect(translate('zh', 'home.productCount')).toBe('{n} 种产品')
  })
})

describe('the lang cookie', () => {
  const request = (cookie?: string) =>
    new Request('http://localhost/', cookie ? { headers: { Cookie: cookie } } : {})

  it('is the bare word on the wire, remembered for a year', async () => {
    const header = await rememberLocale('en')
    expect(header).toMatch(/^lang=en;/)
    expect(header).toContain('Max-Age=31536000')
    expect(header).toContain('Path=/')
    expect(header).toContain('SameSite=Lax')
    expect(await localeOf(request(header.split(';')[0]))).toBe('en')
  })

  it('reads the choice among other cookies, and anything else as Chinese', async () => {
    expect(await localeOf(request('xfbf_session=abc; lang=en; cart=xyz'))).toBe('en')
    expect(await localeOf(request('lang=zh'))).toBe('zh')
    expect(await localeOf(request())).toBe('zh')
    for (const odd of [
      'lang=fr',
      'lang=',
      'lang=en%00',
      'lang=%E4%B8%AD',
      'lang=ImVuIg%3D%3D',
      'lang="en',
      'lang=EN',
    ]) {
      expect(await localeOf(request(odd)), odd).toBe('zh')
    }
  })
})
