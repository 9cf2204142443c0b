import { describe, expect, it } from 'vitest'
import { isShareError } from '../errors.js'
import { isChecked, readForm, type ShareRequest, singleParam } from './request.js'

/** What the handlers accept from a request: one value per parameter, small urlencoded forms. */

const FORM = 'application/x-www-form-urlencoded'

function formRequest(
  chunks: string[],
  headers: Record<string, string> = { 'content-type': FORM },
): ShareRequest {
  const encoder = new TextEncoder()
  return {
    method: 'POST',
    url: 'http://app.localhost:4001/share/logout',
    headers: { get: (name) => headers[name] ?? null },
    body: new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(encoder.encode(chunk))
        controller.close()
      },
    }),
  }
}

async function code(run: () => Promise<unknown> | unknown): Promise<string | undefined> {
  try {
    await run()
  } catch (error) {
    if (isShareError(error)) return error.code
    throw error
  }
  return undefined
}

describe('singleParam', () => {
  it('takes a value of the maximum length and refuses a longer or a repeated one', async () => {
    const url = (query: string) => new URL(`http://app.localhost:4001/?${query}`)
    expect(singleParam(url('state=abcd'), 'state', 4)).toBe('abcd')
    expect(singleParam(url('other=1'), 'state', 4)).toBeNull()
    expect(await code(() => singleParam(url('state=abcde'), 'state', 4))).toBe(
      'ERR_REQUEST_INVALID',
    )
    expect(await code(() => singleParam(url('state=a&state=b'), 'state', 4))).toBe(
      'ERR_REQUEST_INVALID',
    )
  })
})

describe('readForm', () => {
  it('reads a form sent in several chunks, with a charset in its type', async () => {
    const form = await readForm(
      formRequest(['handle=abc', '&everywhere=on'], { 'content-type': `${FORM}; charset=UTF-8` }),
    )
    expect(form.get('handle')).toBe('abc')
    expect(form.get('everywhere')).toBe('on')
  })

  it('is empty for another content type, no content type, or no body', async () => {
    expect([...(await readForm(formRequest(['a=1'], { 'content-type': 'text/plain' })))]).toEqual(
      [],
    )
    expect([...(await readForm(formRequest(['a=1'], {})))]).toEqual([])
    const bodiless = { ...formRequest([]), body: null }
    expect([...(await readForm(bodiless))]).toEqual([])
  })

  it('takes 8192 bytes and refuses one more, declared or sent', async () => {
    const exact = `a=${'x'.repeat(8190)}`
    expect((await readForm(formRequest([exact])))?.get('a')).toHaveLength(8190)
    const declared = { 'content-type': FORM, 'content-length': '8192' }
    expect((await readForm(formRequest([exact], declared)))?.get('a')).toHaveLength(8190)
    expect(await code(() => readForm(formRequest([exact, 'x'])))).toBe('ERR_BODY_TOO_LARGE')
    const tooLong = { 'content-type': FORM, 'content-length': '8193' }
    expect(await code(() => readForm(formRequest(['a=1'], tooLong)))).toBe('ERR_BODY_TOO_LARGE')
  })
})

describe('isChecked', () => {
  it('is true for 1, true and on only', () => {
    expect(['1', 'true', 'on', '0', 'false', 'off', '', null].map(isChecked)).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
      false,
      false,
    ])
  })
})
