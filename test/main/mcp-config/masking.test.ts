import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ServerSpec } from '../../../src/main/mcp-config/document/entries'
import { planAdd } from '../../../src/main/mcp-config/plan'
import { locationFor } from '../../../src/main/mcp-config/clients'
import { scanLocations } from '../../../src/main/mcp-config/scan'
import { tempFolder } from '../../support/temp-folder'

/** Other tools' secrets, each in a shape tools really use. */
const SECRETS = {
  queryKey: 'qk_9f8e7d6c5b4a3928',
  queryToken: 'tok_1a2b3c4d5e6f7a8b',
  headerArg: 'hdr_Zx9Yw8Vu7Ts6Rq5P',
  tokenArg: 'tka_Lm3Nn4Oo5Pp6Qq7R',
  equalsArg: 'eqa_Ab1Cd2Ef3Gh4Ij5K',
  primary: 'sk-ant-api03-PrimaryKeyOfClaude0123',
  env: 'env_Secret9Value8Here7',
  password: 'pw_UrlPassword12345',
  helperToken: 'hlp_TokenInHelper98765'
}

const config = {
  primaryApiKey: SECRETS.primary,
  mcpServers: {
    remote: {
      command: 'npx',
      args: [
        '-y',
        'mcp-remote',
        `https://tools.example/mcp?api_key=${SECRETS.queryKey}&region=eu`,
        '--header',
        `Authorization: Bearer ${SECRETS.headerArg}`,
        '--token',
        SECRETS.tokenArg,
        `--api-key=${SECRETS.equalsArg}`
      ],
      env: { SERVICE_KEY: SECRETS.env }
    },
    web: { type: 'http', url: `https://user:${SECRETS.password}@web.example/mcp?token=${SECRETS.queryToken}` },
    helped: { type: 'http', url: 'https://h.example/mcp', headersHelper: `get-headers --token ${SECRETS.helperToken}` }
  }
}

const spec: ServerSpec = {
  name: 'kw',
  url: 'https://mcp.example/v1',
  header: { name: 'Authorization', scheme: 'Bearer' },
  placement: 'helper',
  helperCommand: 'keywarden mcp-headers b1'
}

async function claudeConfig() {
  const home = join(await tempFolder('kw-mask-'), 'home')
  const location = locationFor({ home, platform: 'linux', env: {} }, 'claude-code', 'user')!
  await mkdir(dirname(location.file), { recursive: true })
  // One line per value, so every secret sits within the preview's context of the change.
  await writeFile(location.file, `${JSON.stringify(config, null, 2)}\n`)
  return location
}

describe('other tools’ secrets', () => {
  it('are masked in the preview: args after --header/--token, --api-key=, query parameters, URL passwords, primaryApiKey, env', async () => {
    const location = await claudeConfig()
    const plan = await planAdd(location, { ...spec })
    // The new entry lands after "helped"; widen the context to the whole file to see every line.
    const { maskedDiff } = await import('../../../src/main/mcp-config/document/masked-diff')
    const whole = maskedDiff(location.file, plan.before!, plan.after, { from: 0, suffix: 0, keysAt: () => [] }, [], 1000)
    for (const diff of [plan.diff, whole]) for (const [what, value] of Object.entries(SECRETS)) expect(diff, what).not.toContain(value)
    // What is kept: the shape, and the first characters as a hint.
    expect(whole).toContain('"--token"')
    expect(whole).toContain('Authorization: Bearer hdr_Zx9Y')
    expect(whole).toContain('api_key=qk_9f8e7')
    expect(whole).toContain('"primaryApiKey": "sk-ant-a…"')
    expect(whole).toContain('region=eu')
  })

  it('are masked in what a scan reports (URLs and helper commands)', async () => {
    const location = await claudeConfig()
    const { findings } = await scanLocations([location])
    const shown = JSON.stringify(findings)
    for (const [what, value] of Object.entries(SECRETS)) expect(shown, what).not.toContain(value)
    expect(findings.find((f) => f.serverName === 'web')?.url).toContain('web.example/mcp?token=')
  })
})
