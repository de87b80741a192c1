import { describe, expect, it } from 'vitest'
import { isTrustedSender } from '../../../src/main/ipc/sender-check'

const page = 'file:///app/out/renderer/index.html'
const isOurPage = (url: string) => url === page || url.startsWith(`${page}#`)
const liveWindow = { isDestroyed: () => false }
const topFrame = (url = page) => ({ url, parent: null })

describe('IPC sender check', () => {
  it("accepts the top frame of a live window of ours showing the app's page (with a #route too)", () => {
    expect(isTrustedSender({ frame: topFrame(), window: liveWindow }, isOurPage)).toBe(true)
    expect(isTrustedSender({ frame: topFrame(`${page}#/keys`), window: liveWindow }, isOurPage)).toBe(true)
  })

  it('refuses a page navigated elsewhere, or one that only starts like ours', () => {
    expect(isTrustedSender({ frame: topFrame('https://evil.example/'), window: liveWindow }, isOurPage)).toBe(false)
    expect(isTrustedSender({ frame: topFrame(`${page}.evil.html`), window: liveWindow }, isOurPage)).toBe(false)
  })

  it('refuses an iframe inside our own page', () => {
    expect(isTrustedSender({ frame: { url: page, parent: topFrame() }, window: liveWindow }, isOurPage)).toBe(false)
  })

  it('refuses a sender that is not one of our windows, a window already closed, and a frame already gone', () => {
    expect(isTrustedSender({ frame: topFrame(), window: null }, isOurPage)).toBe(false)
    expect(isTrustedSender({ frame: topFrame(), window: { isDestroyed: () => true } }, isOurPage)).toBe(false)
    expect(isTrustedSender({ frame: null, window: liveWindow }, isOurPage)).toBe(false)
  })
})
