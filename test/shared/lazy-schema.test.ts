import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { lazySchema } from '../../src/shared/lazy-schema'
import { contract } from '../../src/shared/contract'
import { keyMetaSchema } from '../../src/shared/keys'

describe('a schema built on first use', () => {
  it('is built once, when first used, and not when the module that defines it loads', () => {
    let builds = 0
    const schema = lazySchema(() => {
      builds++
      return z.object({ name: z.string().min(1) }).strict()
    })
    expect(builds).toBe(0)
    expect(schema.parse({ name: 'a' })).toEqual({ name: 'a' })
    expect(schema.safeParse({ name: '' }).success).toBe(false)
    expect(builds).toBe(1)
  })

  it('accepts and refuses exactly what the schema itself does, with the same messages', () => {
    const build = () => z.object({ name: z.string().min(1, 'Give it a name.'), port: z.number().int().max(65535) }).strict()
    const eager = build()
    const lazy = lazySchema(build)
    for (const input of [
      { name: 'x', port: 1 },
      { name: '', port: 1 },
      { name: 'x', port: 70000 },
      { name: 'x', port: 1, extra: true },
      'text',
      null
    ]) {
      const a = eager.safeParse(input)
      const b = lazy.safeParse(input)
      expect(b.success).toBe(a.success)
      expect(b.error?.issues).toEqual(a.error?.issues)
    }
  })

  it('composes like the schema: inside other schemas, extended, its shape spread, instanceof', () => {
    const inner = lazySchema(() => z.object({ id: z.string() }))
    expect(inner).toBeInstanceOf(z.ZodObject)
    expect(Object.keys(inner.shape)).toEqual(['id'])
    expect(z.array(inner).parse([{ id: 'a' }])).toEqual([{ id: 'a' }])
    expect(inner.extend({ n: z.number() }).safeParse({ id: 'a' }).success).toBe(false)
    expect(z.object({ ...inner.shape, n: z.number() }).parse({ id: 'a', n: 1 })).toEqual({ id: 'a', n: 1 })
  })

  it("gives the contract's methods and the shared schemas their full checks", () => {
    expect(contract['keys.list'].input.safeParse({ extra: 1 }).success).toBe(false)
    expect(contract['keys.revoke'].input.safeParse({ keyId: '' }).success).toBe(false)
    const key = keyMetaSchema.safeParse({
      id: 'k',
      providerId: 'p',
      name: 'n',
      prefix: 'sk',
      createdAt: 'yesterday',
      status: 'active',
      inVault: true,
      addedAt: 'x'
    })
    expect(key.success).toBe(false)
    expect(key.error?.issues.map((i) => i.path.join('.'))).toEqual(['createdAt', 'addedAt'])
  })
})
