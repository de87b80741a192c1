import { describe, expect, it } from 'vitest'
import { startBackgroundSync } from '../../../src/main/keys/background-sync'

describe('background sync', () => {
  it('syncs at start and on focus at most once a minute, never two at once', async () => {
    let clock = 0
    let calls = 0
    let release: () => void = () => {}
    const sync = {
      sync: () =>
        new Promise<{ providers: [] }>((r) => {
          calls++
          release = () => r({ providers: [] })
        })
    }
    const bg = startBackgroundSync({ sync } as never, { now: () => clock, intervalMs: 1e9 })
    expect(calls).toBe(1)
    clock = 120_000
    bg.poke()
    expect(calls).toBe(1) // still running
    release()
    await new Promise((r) => setTimeout(r, 0))
    bg.poke()
    expect(calls).toBe(2)
    release()
    await new Promise((r) => setTimeout(r, 0))
    clock += 30_000
    bg.poke()
    expect(calls).toBe(2)
    clock += 31_000
    bg.poke()
    expect(calls).toBe(3)
    bg.stop()
  })
})
