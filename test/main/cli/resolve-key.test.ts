import { describe, expect, it } from 'vitest'
import { resolveKey } from '../../../src/main/cli/keys-commands'
import type { KeyMeta } from '../../../src/shared/schemas'

const key = (id: string, name: string, live: boolean): KeyMeta => ({
  id,
  providerId: 'sandbox',
  name,
  prefix: 'sbx_abcd',
  createdAt: '2026-01-01T00:00:00.000Z',
  addedAt: '2026-01-01T00:00:00.000Z',
  status: live ? 'active' : 'revoked',
  inVault: live
})

describe('a key named on the command line', () => {
  const retired = key('11111111-0000-4000-8000-000000000000', 'alpha', false)
  const successor = key('22222222-0000-4000-8000-000000000000', 'alpha', true)

  it('is the live key when a rotation left a retired key with the same name', () => {
    expect(resolveKey([retired, successor], 'alpha')).toBe(successor)
  })

  it('is still ambiguous when two live keys share the name, and the retired one stays reachable by id', () => {
    const other = key('33333333-0000-4000-8000-000000000000', 'alpha', true)
    expect(() => resolveKey([retired, successor, other], 'alpha')).toThrow(/matches 3 keys/)
    expect(resolveKey([retired, successor], '11111111')).toBe(retired)
  })
})
