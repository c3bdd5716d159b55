import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { messages as en } from '../../app/messages/en'
import { messages as zh } from '../../app/messages/zh'
import type { MessageKey, Messages } from '../../app/utils/i18n'

/**
 * The browser loads one language's messages: each catalogue is a chunk of its own in the client build, and only
 * entry.client.tsx's dynamic import of the page's language fetches it. Reads the build (`npm run build`; npm test
 * builds first).
 */
const assetsDir = path.resolve('build/client/assets')

function clientScripts(): Map<string, string> {
  if (!fs.existsSync(assetsDir))
    throw new Error('No client build: run `npm run build` (npm test does it first)')
  const scripts = new Map<string, string>()
  for (const name of fs.readdirSync(assetsDir)) {
    if (name.endsWith('.js')) scripts.set(name, fs.readFileSync(path.join(assetsDir, name), 'utf8'))
  }
  return scripts
}

/**
 * Messages that only one language has, written so that the minifier keeps them verbatim in a string literal: long
 * enough not to be a common word (`minLength` characters: Chinese says more in fewer), no quotes, backslashes or
 * line breaks (which it might escape).
 */
function distinctive(own: Messages, other: Messages, minLength: number): string[] {
  return (Object.keys(own) as MessageKey[])
    .map((key) => own[key])
    .filter((text) => text.length >= minLength && !/['"`\\\n]|\$\{/.test(text))
    .filter((text) => !Object.values(other).some((theirs) => theirs.includes(text)))
}

describe('the client build’s message chunks', () => {
  const scripts = clientScripts()

  function filesContaining(text: string): string[] {
    return [...scripts].filter(([, source]) => source.includes(text)).map(([name]) => name)
  }

  /** The one file holding every one of these texts; fails naming the texts found in no script. */
  function chunkOf(texts: string[]): string {
    const places = new Map(texts.map((text) => [text, filesContaining(text)]))
    expect([...places].filter(([, found]) => found.length === 0).slice(0, 5), 'texts in no script').toEqual(
      [],
    )
    const everywhere = [...scripts.keys()].filter((name) =>
      [...places.values()].every((found) => found.includes(name)),
    )
    expect(everywhere, 'the one script holding them all').toHaveLength(1)
    return everywhere[0]!
  }

  const chineseOnly = distinctive(zh, en, 6)
  const englishOnly = distinctive(en, zh, 12)

  it('checks enough messages to mean something', () => {
    expect(chineseOnly.length).toBeGreaterThan(300)
    expect(englishOnly.length).toBeGreaterThan(300)
  })

  it('puts the Chinese messages in one chunk and the English ones in another, and nowhere else', () => {
    const chineseChunk = chunkOf(chineseOnly)
    const englishChunk = chunkOf(englishOnly)
    expect(chineseChunk).not.toBe(englishChunk)
    expect(chineseOnly.filter((text) => scripts.get(englishChunk)!.includes(text))).toEqual([])
    expect(englishOnly.filter((text) => scripts.get(chineseChunk)!.includes(text))).toEqual([])
    // No other script carries an English message. (Chinese texts also appear in the pages' titles and
    // descriptions, which are Chinese in both languages.)
    expect(englishOnly.filter((text) => filesContaining(text).length > 1)).toEqual([])
    // A sentence a user would read, as a spot check of what the sets above hold.
    expect(scripts.get(englishChunk)).toContain(en['home.intro'])
    expect(scripts.get(chineseChunk)).toContain(zh['home.intro'])
  })

  it('loads a catalogue only through a dynamic import, never with the page’s modules', () => {
    for (const chunk of [chunkOf(chineseOnly), chunkOf(englishOnly)]) {
      const mentions = [...scripts].flatMap(([name, source]) =>
        [
          ...source.matchAll(
            new RegExp(`.{0,8}["'](?:\\./|/assets/)${chunk.replace(/\./g, '\\.')}["']`, 'g'),
          ),
        ].map((match) => ({ name, match: match[0] })),
      )
      // entry.client imports it dynamically; Remix's manifest (the modules preloaded with every page) and every
      // static import leave it out.
      expect(mentions.length, chunk).toBeGreaterThan(0)
      for (const mention of mentions)
        expect(mention.match, `${mention.name} loads ${chunk}`).toMatch(/import\(["']/)
    }
  })
})
