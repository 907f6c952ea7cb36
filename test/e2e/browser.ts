import assert from 'node:assert/strict'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import { chromium, type Browser, type Page } from 'playwright-core'

const require = createRequire(import.meta.url)
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')

/** Debian's Chromium, headless, with nothing that reaches for the network. */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
  assert.ok(fs.existsSync(executablePath), `Chromium not found at ${executablePath}: install Debian's chromium package or set CHROMIUM_PATH`)
  return chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
}

/**
 * Closes the browser. A test that passes closes its own context, so a page still open here
 * belongs to a test that failed part-way: its address and what it said go to the test output,
 * which is all CI keeps (a timed-out wait otherwise says only what it was waiting for).
 */
export async function closeBrowser(browser: Browser | undefined): Promise<void> {
  if (!browser) return
  for (const context of browser.contexts()) {
    for (const page of context.pages()) {
      const text = await page
        .locator('body')
        .innerText({ timeout: 2_000 })
        .catch((error: Error) => `(could not read the page: ${error.message})`)
      console.error(`A browser test left this page open (it failed part-way): ${page.url()}\n${text.slice(0, 2_000)}\n`)
    }
  }
  await browser.close()
}

export interface AxeViolation {
  id: string
  impact: string
  help: string
  nodes: { target: string[] }[]
}

/**
 * Runs axe-core (WCAG 2.0, 2.1 and 2.2 A and AA rules) on the page as it is now and fails on any
 * violation. Evaluated through the DevTools protocol, so the page's CSP stays fully on.
 */
export async function assertAccessible(page: Page, label: string): Promise<void> {
  const violations = (await page.evaluate(`(async () => {
    if (!window.axe) { ${axeSource} }
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } })
    return result.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => ({ target: n.target })) }))
  })()`)) as AxeViolation[]
  const report = violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
  assert.deepEqual(report, [], `accessibility violations on ${label}`)
}

/** Collects browser console errors (CSP refusals show up here) so a test can assert there were none. */
export function watchConsole(page: Page): string[] {
  const errors: string[] = []
  page.on('console', (message) => {
    // A form re-shown with its error summary is answered 400 on purpose; Chromium logs that.
    if (message.type() === 'error' && !/status of 400 \(Bad Request\)/.test(message.text())) errors.push(message.text())
  })
  page.on('pageerror', (error) => errors.push(error.message))
  return errors
}

export async function signIn(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/sign-in`)
  await page.getByLabel('Email address').fill(email)
  await page.getByLabel('Password', { exact: true }).fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
}
