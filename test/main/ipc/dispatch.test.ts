import { describe, expect, it } from 'vitest'
import { createDispatch, type Handlers } from '../../../src/main/ipc/dispatch'
import { KeywardenError } from '../../../src/shared/errors'

const keyMeta = {
  id: 'k1',
  providerId: 'sandbox',
  name: 'Work laptop',
  prefix: 'sbx_abcd',
  createdAt: '2026-11-01T10:00:00.000Z',
  status: 'active',
  inVault: true,
  addedAt: '2026-11-01T10:00:00.000Z'
} as const

function handlers(overrides: Partial<Handlers>): Handlers {
  const missing = async () => {
    throw new Error('not used in this test')
  }
  return new Proxy(overrides, { get: (target, prop) => (target as Record<string, unknown>)[prop as string] ?? missing }) as Handlers
}

describe('IPC dispatch', () => {
  it('refuses a method the contract does not name', async () => {
    const dispatch = createDispatch(handlers({}))
    const result = await dispatch('shell.exec', {})
    expect(result).toEqual({ ok: false, error: { code: 'invalid-input', message: 'Unknown request "shell.exec".' } })
  })

  it('rejects a wrong payload before any handler runs, naming the field', async () => {
    let ran = false
    const dispatch = createDispatch(
      handlers({
        'keys.create': async () => {
          ran = true
          throw new Error('unreachable')
        }
      })
    )
    const result = await dispatch('keys.create', { providerId: 'sandbox', name: '   ' })
    expect(ran).toBe(false)
    expect(result.ok).toBe(false)
    if (!result.ok) {
      expect(result.error.code).toBe('invalid-input')
      expect(result.error.message).toContain('name')
    }
    const extra = await dispatch('keys.revoke', { keyId: 'k1', force: true })
    expect(extra.ok).toBe(false)
    const wrongType = await dispatch('keys.setActive', 'k1')
    expect(wrongType.ok).toBe(false)
  })

  it("passes a handler's KeywardenError through as code and message", async () => {
    const dispatch = createDispatch(
      handlers({
        'keys.revoke': async () => {
          throw new KeywardenError('provider-unreachable', 'Could not reach Local sandbox.')
        }
      })
    )
    expect(await dispatch('keys.revoke', { keyId: 'k1' })).toEqual({
      ok: false,
      error: { code: 'provider-unreachable', message: 'Could not reach Local sandbox.' }
    })
  })

  it('turns an unexpected failure into a plain message without its details', async () => {
    const logged: string[] = []
    const dispatch = createDispatch(
      handlers({
        'keys.list': async () => {
          throw new TypeError('cannot read x of undefined at /home/me/secret-path.ts:12')
        }
      }),
      (line) => logged.push(line)
    )
    const result = await dispatch('keys.list', {})
    expect(result.ok).toBe(false)
    if (!result.ok) {
      expect(result.error.code).toBe('internal')
      expect(result.error.message).not.toContain('secret-path')
    }
    expect(logged.join('\n')).toContain('keys.list failed')
  })

  it('cuts every output to its schema so no stray field (a value) leaves main', async () => {
    const dispatch = createDispatch(
      handlers({
        'keys.list': async () => [{ ...keyMeta, secret: 'sbx_the_whole_value' } as typeof keyMeta]
      })
    )
    const result = await dispatch('keys.list', {})
    expect(result.ok).toBe(true)
    expect(JSON.stringify(result)).not.toContain('sbx_the_whole_value')
    if (result.ok) expect(result.data).toEqual([keyMeta])
  })
})
