import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { describeBrowser, ownSessions, sameHandle, SESSION_HANDLE_PATTERN, sessionHandle, signedOutMessage } from './own-sessions.js'

describe('describing a browser from its User-Agent', () => {
  it('names common browsers and systems in a few words', () => {
    const cases: [string | undefined, string][] = [
      ['Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0', 'Firefox on Windows'],
      ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36', 'Chrome on Windows'],
      ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0', 'Edge on Windows'],
      ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15', 'Safari on Mac'],
      ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1', 'Safari on iPhone'],
      ['Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/126.0.6478.54 Mobile/15E148 Safari/604.1', 'Chrome on iPad'],
      ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/127.0 Mobile/15E148 Safari/605.1.15', 'Firefox on iPhone'],
      ['Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36', 'Chrome on Android'],
      ['Mozilla/5.0 (Linux; Android 14; SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36', 'Samsung Internet on Android'],
      ['Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36', 'Chrome on ChromeOS'],
      ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 OPR/111.0.0.0', 'Opera on Linux'],
      ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/126.0.0.0 Safari/537.36', 'A browser on Linux'],
      ['curl/8.5.0', 'Unknown browser'],
      ['', 'Unknown browser'],
      [undefined, 'Unknown browser'],
    ]
    for (const [ua, expected] of cases) assert.equal(describeBrowser(ua), expected, ua)
  })

  it('only ever answers with fixed words, never anything the browser sent', () => {
    const words = /^(?:(?:Edge|Opera|Samsung Internet|Firefox|Chrome|Safari)(?: on (?:iPhone|iPad|Android|ChromeOS|Windows|Mac|Linux))?|A browser on (?:iPhone|iPad|Android|ChromeOS|Windows|Mac|Linux)|Unknown browser)$/
    fc.assert(
      fc.property(fc.string({ maxLength: 2000 }), fc.constantFrom('', 'Firefox/1 ', 'Windows ', 'Version/1 Safari/1 iPhone '), (noise, hint) => {
        assert.match(describeBrowser(hint + noise), words)
      }),
    )
  })
})

describe('naming sessions without their ids', () => {
  it('gives each session a stable handle that does not contain its id and depends on the key', () => {
    const sid = 'poRj1b2VLHb4MrX3bOyBQ5kExJlU2kZG'
    const handle = sessionHandle('key one', sid)
    assert.match(handle, SESSION_HANDLE_PATTERN)
    assert.equal(sessionHandle('key one', sid), handle)
    assert.notEqual(sessionHandle('key two', sid), handle)
    assert.notEqual(sessionHandle('key one', `${sid}x`), handle)
    assert.ok(!handle.includes(sid))
    assert.ok(sameHandle(handle, sessionHandle('key one', sid)))
    assert.ok(!sameHandle(handle, handle.slice(1)))
  })
})

describe('the list of one’s own sessions', () => {
  const handleOf = (sid: string) => `h-${sid}`
  it('puts this session first, from what this request holds, then the most recently used', () => {
    const current = { sid: 'c', createdAt: 1_000, lastSeenAt: 9_000, browser: 'Firefox on Windows' }
    const listed = ownSessions(
      [
        { sid: 'a', createdAt: 2_000, lastSeenAt: 3_000, browser: 'Safari on iPhone' },
        { sid: 'c', createdAt: 1_000, lastSeenAt: 1_000, browser: 'Firefox on Windows' },
        { sid: 'b', createdAt: 2_500, lastSeenAt: 8_000, browser: null },
      ],
      current,
      handleOf,
    )
    assert.deepEqual(
      listed.map((s) => [s.handle, s.current, s.browser, s.lastUsedAt?.getTime()]),
      [
        ['h-c', true, 'Firefox on Windows', 9_000],
        ['h-b', false, null, 8_000],
        ['h-a', false, 'Safari on iPhone', 3_000],
      ],
    )
  })

  it('lists this session even if its row is not (yet) found, and copes with missing times', () => {
    const listed = ownSessions([{ sid: 'x', createdAt: null, lastSeenAt: null, browser: null }], { sid: 'c', createdAt: 5, lastSeenAt: null, browser: null }, handleOf)
    assert.deepEqual(
      listed.map((s) => [s.handle, s.current, s.signedInAt?.getTime() ?? null, s.lastUsedAt?.getTime() ?? null]),
      [
        ['h-c', true, 5, 5],
        ['h-x', false, null, null],
      ],
    )
  })

  it('says how many were signed out', () => {
    assert.equal(signedOutMessage(0), 'You were not signed in anywhere else.')
    assert.equal(signedOutMessage(1), 'You have been signed out of 1 other session.')
    assert.equal(signedOutMessage(3), 'You have been signed out of 3 other sessions.')
  })
})
