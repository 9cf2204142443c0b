import { describe, expect, it } from 'vitest'
import type { SessionSummary } from '../session/manage.js'
import { deviceName, renderSessionsPage } from './sessions-page.js'

/** What a person reads on the devices page: device names, times, apps reached, labels. */

const paths = { revoke: '/r', revokeOthers: '/ro', revokeAll: '/ra' }
const AT = Date.UTC(2030, 0, 2, 9, 5, 33)

function summary(overrides: Partial<SessionSummary> = {}): SessionSummary {
  return {
    handle: 'h1',
    current: false,
    createdAt: AT,
    lastSeenAt: AT,
    expiresAt: AT + 3_600_000,
    rememberMe: false,
    client: null,
    remotes: [],
    ...overrides,
  }
}

describe('deviceName', () => {
  it.each([
    ['Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0', 'Firefox on Linux'],
    [
      'Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 Chrome/126.0 Safari/537.36 Edg/126.0',
      'Edge on Windows',
    ],
    [
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1 Safari/605.1',
      'Safari on Mac OS X',
    ],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_5) Version/17.5', 'Browser on iPhone'],
    ['curl/8.5.0', 'Browser on unknown system'],
    ['Chrome/', 'Browser on unknown system'],
  ])('of %s is %s', (userAgent, name) => {
    expect(deviceName(userAgent)).toBe(name)
  })

  it('is "Unknown device" without a user agent', () => {
    expect(deviceName(null)).toBe('Unknown device')
    expect(deviceName('')).toBe('Unknown device')
  })
})

describe('renderSessionsPage', () => {
  it('shows each device with its IP, last seen time in UTC, and "none yet" for apps', () => {
    const html = renderSessionsPage(
      'alice',
      [summary({ client: { ip: '203.0.113.9', userAgent: null } })],
      paths,
    )
    expect(html).toContain(
      '<th scope="row">Unknown device</th><td>203.0.113.9</td><td>2030-01-02 09:05 UTC</td><td><small>none yet</small></td>',
    )
    expect(html).toContain('aria-label="Revoke Unknown device, last seen 2030-01-02 09:05 UTC"')
    expect(html).not.toContain('(this device)')
    expect(html).not.toContain('remembered')
  })

  it('lists the apps a device reached, one a line, with when, escaped', () => {
    const remotes = [
      { audience: 'https://a.example', firstSeenAt: AT, lastSeenAt: AT },
      { audience: 'https://b.example/<x>', firstSeenAt: AT, lastSeenAt: AT + 60_000 },
    ]
    const html = renderSessionsPage('alice', [summary({ remotes })], paths)
    expect(html).toContain(
      '<td>https://a.example <small>(2030-01-02 09:05 UTC)</small><br>https://b.example/&#60;x&#62; <small>(2030-01-02 09:06 UTC)</small></td>',
    )
  })

  it('marks this device and a remembered one, and says "unknown" for a missing IP', () => {
    const html = renderSessionsPage(
      'alice',
      [
        summary({
          current: true,
          rememberMe: true,
          client: { ip: null, userAgent: 'x Firefox/1.0 Linux' },
        }),
      ],
      paths,
    )
    expect(html).toContain(
      '<th scope="row">Firefox on Linux <strong>(this device)</strong> <small>remembered</small></th><td>unknown</td>',
    )
  })
})
