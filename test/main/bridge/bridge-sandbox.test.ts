import { describe, expect, it } from 'vitest'
import { scoped } from '../../support/scoped'
import { boundSandboxKey, bridgeCommand, connectThroughBridge } from './world'

const world = scoped()

describe('the keychain bridge in front of the sandbox', () => {
  it('lists and calls the server tools with the key read from the keychain', async () => {
    const { ctx, key, secret, binding } = await boundSandboxKey(world.defer)
    const { client, stderr } = await connectThroughBridge(bridgeCommand(ctx, binding.id), world.defer)
    expect(client.getServerVersion()?.name).toBe('keywarden-sandbox')
    const tools = await client.listTools()
    expect(tools.tools.map((t) => t.name)).toContain('whoami')
    const result = await client.callTool({ name: 'whoami' })
    expect(JSON.stringify(result)).toContain(key.prefix)
    expect(stderr.join('')).not.toContain(secret)
  })
})
