// The demo in real headless Chromium (Debian's, driven by playwright-core):
// the flows a person clicks through, and the attacks the protocol must stop.
import { createServer } from 'node:net'
import { createChecksum, createKeyring, encodeCallback, generateSyncKey } from '@share/core/token'
import { launchChromium } from '@share/test-utils/chromium'
import type { Browser, BrowserContext, Page, Response } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createDemo } from '../src/start.mjs'

let browser: Browser
let demo: Awaited<ReturnType<typeof createDemo>>
const contexts: BrowserContext[] = []

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer()
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

beforeAll(async () => {
  // Spare ports, so the tests never collide with a demo someone is running.
  demo = await createDemo({
    ports: { host: await freePort(), a: await freePort(), b: await freePort() },
    syncKey: generateSyncKey(),
    storeUrl: '',
  })
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  await demo?.close()
})

afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close()
})

async function newPage(): Promise<Page> {
  const context = await browser.newContext()
  contexts.push(context)
  return context.newPage()
}

/** The redirects a navigation's final response went through. */
function redirectsOf(response: Response | null): string[] {
  const hops: string[] = []
  for (
    let request = response?.request().redirectedFrom();
    request;
    request = request.redirectedFrom()
  ) {
    hops.unshift(request.url())
  }
  return hops
}

/** Signs in at the host's form (the page must be showing it); returns the final response. */
async function submitLogin(page: Page, username = 'alice'): Promise<Response | null> {
  await page.fill('input[name=username]', username)
  await page.fill('input[name=password]', username)
  const [response] = await Promise.all([
    page.waitForNavigation(),
    page.click('button:has-text("Sign in")'),
  ])
  return response
}

async function signInAtA(page: Page): Promise<void> {
  const first = await page.goto(demo.urls.a)
  expect(redirectsOf(first).length).toBeLessThanOrEqual(3)
  expect(page.url()).toContain(`${demo.urls.host}/login?next=`)
  const landed = await submitLogin(page)
  expect(redirectsOf(landed).length).toBeLessThanOrEqual(3)
  expect(page.url()).toBe(`${demo.urls.a}/`)
}

/** Captures the callback URL (with its token) the host redirects to during a sign-in. */
function captureCallback(page: Page): () => string | undefined {
  let callback: string | undefined
  page.on('request', (request) => {
    if (request.url().includes('/share/callback?token=')) callback ??= request.url()
  })
  return () => callback
}

describe('the demo in Chromium', () => {
  it('signs in at A through the host, then opens B with no second login', async () => {
    const page = await newPage()
    await signInAtA(page)
    expect(await page.locator('#user').textContent()).toBe('alice')
    const b = await page.goto(demo.urls.b)
    expect(redirectsOf(b).length).toBeLessThanOrEqual(3)
    expect(page.url()).toBe(`${demo.urls.b}/`)
    expect(await page.locator('#user').textContent()).toBe('alice')
  })

  it('lists the device with A and B on the sessions page; revoking it signs A and B out', async () => {
    const page = await newPage()
    await signInAtA(page)
    await page.goto(demo.urls.b)
    await page.goto(`${demo.urls.host}/sessions`)
    const row = page.locator('tr', { hasText: '(this device)' })
    expect(await row.textContent()).toContain(demo.urls.a)
    expect(await row.textContent()).toContain(demo.urls.b)
    await Promise.all([page.waitForNavigation(), row.locator('button:has-text("Revoke")').click()])
    for (const app of [demo.urls.a, demo.urls.b]) {
      await page.goto(app)
      expect(page.url()).toContain(`${demo.urls.host}/login`)
    }
  })

  it("the host's mounted sessions page signs out the other devices and keeps this one", async () => {
    const laptop = await newPage()
    const phone = await newPage()
    await signInAtA(laptop)
    await signInAtA(phone)
    await laptop.goto(`${demo.urls.host}/sessions`)
    // Other tests of this file signed alice in too: at least these two devices.
    expect(await laptop.locator('tbody tr').count()).toBeGreaterThanOrEqual(2)
    await Promise.all([
      laptop.waitForNavigation(),
      laptop.click('button:has-text("Sign out all other devices")'),
    ])
    expect(await laptop.locator('tbody tr').count()).toBe(1)
    await phone.goto(demo.urls.a)
    expect(phone.url()).toContain(`${demo.urls.host}/login`)
    await laptop.goto(demo.urls.a)
    expect(laptop.url()).toBe(`${demo.urls.a}/`)
  })

  it('logs out everywhere from A: B and the host ask for login again', async () => {
    const page = await newPage()
    await signInAtA(page)
    await page.goto(demo.urls.b)
    await page.goto(demo.urls.a)
    await Promise.all([
      page.waitForNavigation(),
      page.click('button:has-text("Log out everywhere")'),
    ])
    await page.goto(demo.urls.b)
    expect(page.url()).toContain(`${demo.urls.host}/login`)
    await page.goto(`${demo.urls.host}/sessions`)
    expect(page.url()).toContain(`${demo.urls.host}/login`)
  })

  it('answers 403 to a token replayed in a second browser context', async () => {
    const page = await newPage()
    const callback = captureCallback(page)
    await signInAtA(page)
    const stolen = callback()
    expect(stolen).toBeDefined()
    const other = await newPage()
    const response = await other.goto(stolen!)
    expect(response?.status()).toBe(403)
    expect(redirectsOf(response)).toEqual([])
    expect(await other.content()).toContain('ERR_TOKEN_STATE')
  })

  it('refuses a token planted in another browser (login CSRF): 403, nobody signed in', async () => {
    const attacker = await newPage()
    const callback = captureCallback(attacker)
    await signInAtA(attacker) // the attacker's own sign-in, whose token they keep
    const victim = await newPage()
    await victim.goto(demo.urls.a) // the victim has a sign-in of their own under way
    const planted = await victim.goto(callback()!)
    expect(planted?.status()).toBe(403)
    await victim.goto(demo.urls.a)
    expect(victim.url()).toContain(`${demo.urls.host}/login`)
  })

  it('answers 400 to a hand-off with an unknown callback, with no redirect', async () => {
    const keyring = await createKeyring(demo.syncKey)
    const callback = encodeCallback('https://evil.example/steal')
    const state = 'Zx81Qw0LmN3pR5tV7yB9dF'
    const t = Math.floor(Date.now() / 1000)
    const checksum = await createChecksum(keyring, `${callback}.${state}.${t}`)
    const page = await newPage()
    const response = await page.goto(
      `${demo.urls.host}/share/authorize?callback=${callback}&state=${state}&t=${t}&checksum=${checksum}`,
    )
    expect(response?.status()).toBe(400)
    expect(redirectsOf(response)).toEqual([])
    expect(await page.content()).toContain('ERR_CALLBACK_NOT_ALLOWED')
  })

  it('shows a wrong password as a 401 on the login page, not a redirect', async () => {
    const page = await newPage()
    await page.goto(demo.urls.a)
    await page.fill('input[name=username]', 'alice')
    await page.fill('input[name=password]', 'wrong')
    const [response] = await Promise.all([
      page.waitForNavigation(),
      page.click('button:has-text("Sign in")'),
    ])
    expect(response?.status()).toBe(401)
    expect(await page.content()).toContain('Wrong username or password')
  })
})
