import { execFileSync } from 'node:child_process'
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { configLocations } from '../../../src/main/mcp-config/clients'
import type { ConfigLocation } from '../../../src/main/mcp-config/paths'
import { makeKey, nonSecretCorpus, random } from './planted'
import { tempFolder } from '../../support/temp-folder'

export interface Planted {
  name: string
  value: string
  file: string
  line: number
  field?: string
}

const lineOf = (text: string, value: string) => text.slice(0, text.indexOf(value)).split('\n').length

/**
 * A person's home as Keywarden finds it: MCP servers of every client with keys pasted in headers,
 * env, args and URLs; .env files in a git project (one committed, one ignored); bash, zsh
 * (extended format) and fish history; Claude Code, Codex and Gemini transcripts; and around all
 * of them, plenty of text that is not a secret.
 */
export async function plantedHome(extra: { vaultValues?: Record<string, string> } = {}) {
  const root = await tempFolder('kw-findings-')
  const home = join(root, 'home')
  const project = join(home, 'src', 'app')
  const planted: Planted[] = []
  const put = async (file: string, text: string, keys: Array<[string, string, string?]>) => {
    await mkdir(dirname(file), { recursive: true })
    await writeFile(file, text)
    for (const [name, value, field] of keys) planted.push({ name, value, file, line: lineOf(text, value), field })
  }
  const k = Object.fromEntries(Object.entries(makeKey).map(([n, make]) => [n, make()])) as Record<keyof typeof makeKey, string>
  const held = extra.vaultValues ?? {}

  // Claude Code: user servers, a project's local servers, the project's .mcp.json.
  const claude = {
    numStartups: 4,
    mcpServers: { openai: { type: 'http', url: 'https://mcp.example.net/mcp', headers: { Authorization: `Bearer ${k.openaiProject}` } } },
    projects: {
      [project]: {
        allowedTools: [],
        mcpServers: { gh: { type: 'stdio', command: 'npx', args: ['-y', 'gh-mcp'], env: { GITHUB_TOKEN: k.github } } }
      }
    }
  }
  const claudeText = JSON.stringify(claude, null, 2)
  await put(join(home, '.claude.json'), claudeText, [
    ['openaiProject', k.openaiProject, 'headers'],
    ['github', k.github, 'env']
  ])
  const mcpJson = JSON.stringify(
    {
      mcpServers: {
        remote: { command: 'npx', args: ['mcp-remote', 'https://x.example/mcp', '--header', `Authorization: Bearer ${k.anthropic}`] }
      }
    },
    null,
    2
  )
  await put(join(project, '.mcp.json'), mcpJson, [['anthropic', k.anthropic, 'args']])
  // Cursor: a key in a URL query parameter; VS Code: JSONC with comments, a profile, Insiders.
  await put(
    join(home, '.cursor', 'mcp.json'),
    JSON.stringify({ mcpServers: { maps: { url: `https://maps.example/mcp?key=${k.google}&v=2` } } }, null, 2),
    [['google', k.google, 'url']]
  )
  const vscodeUser = `{\n  // pasted from the docs\n  "servers": {\n    "slack": { "type": "stdio", "command": "slack-mcp", "env": { "SLACK_BOT_TOKEN": "${k.slack}" } }\n  }\n}\n`
  await put(join(home, '.config', 'Code', 'User', 'mcp.json'), vscodeUser, [['slack', k.slack, 'env']])
  await put(
    join(home, '.config', 'Code', 'User', 'profiles', 'work1', 'mcp.json'),
    `{ "servers": { "pay": { "type": "http", "url": "https://pay.example/mcp", "headers": { "Authorization": "Bearer ${k.stripe}" } } } }\n`,
    [['stripe', k.stripe, 'headers']]
  )
  await put(
    join(home, '.config', 'Code - Insiders', 'User', 'mcp.json'),
    `{ "servers": { "hf": { "type": "http", "url": "https://hf.example/mcp", "headers": { "Authorization": "Bearer ${k.huggingface}" } } } }\n`,
    [['huggingface', k.huggingface, 'headers']]
  )
  // Clients whose files come from their own modules: Windsurf, Gemini CLI, Codex (TOML), Claude Desktop, opencode, Copilot CLI.
  await put(
    join(home, '.codeium', 'windsurf', 'mcp_config.json'),
    JSON.stringify({ mcpServers: { lyc: { serverUrl: 'https://lyceum.example/mcp', headers: { Authorization: `Bearer ${k.lyceum}` } } } }),
    [['lyceum', k.lyceum, 'headers']]
  )
  await put(
    join(home, '.gemini', 'settings.json'),
    JSON.stringify(
      {
        mcpServers: { vib: { url: 'https://api.vibexp.io/mcp/v1/common', type: 'http', headers: { Authorization: `Bearer ${k.vibexp}` } } }
      },
      null,
      2
    ),
    [['vibexp', k.vibexp, 'headers']]
  )
  const codexToml = `model = "o4-mini"\n\n[mcp_servers.lybic]\nurl = "https://lybic.example/mcp"\n\n[mcp_servers.lybic.http_headers]\nx-api-key = "${k.lybic}"\n`
  await put(join(home, '.codex', 'config.toml'), codexToml, [['lybic', k.lybic, 'headers']])
  await put(
    join(home, '.config', 'Claude', 'claude_desktop_config.json'),
    JSON.stringify({ mcpServers: { aws: { command: 'aws-mcp', args: [], env: { AWS_ACCESS_KEY_ID: k.aws } } } }, null, 2),
    [['aws', k.aws, 'env']]
  )
  await put(
    join(home, '.config', 'opencode', 'opencode.json'),
    JSON.stringify(
      { mcp: { gh2: { type: 'remote', url: 'https://gh.example/mcp', headers: { Authorization: `Bearer ${k.githubFine}` } } } },
      null,
      2
    ),
    [['githubFine', k.githubFine, 'headers']]
  )
  await put(
    join(home, '.copilot', 'mcp-config.json'),
    JSON.stringify(
      { mcpServers: { ai: { type: 'local', command: 'ai-mcp', args: [], env: { OPENAI_API_KEY: k.openaiLegacy }, tools: ['*'] } } },
      null,
      2
    ),
    [['openaiLegacy', k.openaiLegacy, 'env']]
  )

  // A git project: a committed .env and an ignored .env.local, each among harmless lines.
  const heldKeys = Object.entries(held)
  const envText = `# app settings\nNODE_ENV=production\nSANDBOX_KEY=${k.sandbox}\n${heldKeys[0] ? `LYNXO_KEY=${heldKeys[0][1]}\n` : ''}${nonSecretCorpus(50)}`
  await put(join(project, '.env'), envText, [
    ['sandbox', k.sandbox],
    ...(heldKeys[0] ? [[heldKeys[0][0], heldKeys[0][1]] as [string, string]] : [])
  ])
  await put(join(project, '.env.local'), `DEBUG=1\n`, [])
  await writeFile(join(project, '.gitignore'), '.env.local\n')
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: project, stdio: 'pipe' })
  git('init', '-q')
  git('add', '.env', '.gitignore')
  git('commit', '-qm', 'settings')

  // Shell history: bash, zsh extended history (": start:elapsed;command"), fish (YAML-like).
  const secondHeld = heldKeys[1]
  const bash = `${nonSecretCorpus(200)}curl -H "Authorization: Bearer ${k.openaiLegacy}" https://api.example/v1/models\n${secondHeld ? `export OLD=${secondHeld[1]}\n` : ''}ls\n`
  await put(join(home, '.bash_history'), bash, [
    ['openaiLegacy', k.openaiLegacy],
    ...(secondHeld ? [[secondHeld[0], secondHeld[1]] as [string, string]] : [])
  ])
  const zshKey = makeKey.openaiProject()
  const zsh = `: 1700000000:0;cd src\n: 1700000005:3;export OPENAI_API_KEY=${zshKey}\n: 1700000100:0;${nonSecretCorpus(1).trim()}\n`
  await put(join(home, '.zsh_history'), zsh, [['zsh', zshKey]])
  const fishKey = makeKey.github()
  const fish = `- cmd: git push\n  when: 1700000000\n- cmd: gh auth login --with-token <<< ${fishKey}\n  when: 1700000100\n`
  await put(join(home, '.local', 'share', 'fish', 'fish_history'), fish, [['fish', fishKey]])

  // Transcripts: the key sits inside JSON strings, after a \n escape as often as not.
  const claudeKey = makeKey.anthropic()
  const transcript =
    [
      JSON.stringify({ type: 'user', uuid: randomUuidLike(), message: { role: 'user', content: nonSecretCorpus(20) } }),
      JSON.stringify({
        type: 'user',
        uuid: randomUuidLike(),
        message: { role: 'user', content: `my key:\n${claudeKey}\nwhy does it fail?` }
      }),
      JSON.stringify({ type: 'assistant', uuid: randomUuidLike(), message: { role: 'assistant', content: nonSecretCorpus(40) } })
    ].join('\n') + '\n'
  await put(join(home, '.claude', 'projects', '-home-dev-src-app', 'a1b2.jsonl'), transcript, [['claude transcript', claudeKey]])
  const codexKey = makeKey.google()
  const codex = `${JSON.stringify({ type: 'session_meta', payload: { cwd: project } })}\n${JSON.stringify({ type: 'response_item', payload: { type: 'message', content: [{ type: 'input_text', text: `use ${codexKey} for maps` }] } })}\n`
  await put(join(home, '.codex', 'sessions', '2026', '11', '02', 'rollout-2026-11-02T10-00-00-x.jsonl'), codex, [
    ['codex transcript', codexKey]
  ])
  const geminiKey = makeKey.huggingface()
  const gemini = JSON.stringify({ sessionId: 's', messages: [{ type: 'user', content: [{ text: `token=${geminiKey}` }] }] }, null, 2)
  await put(join(home, '.gemini', 'tmp', 'app', 'chats', 'session-2026-11-02T10-00-abcd1234.json'), gemini, [
    ['gemini transcript', geminiKey]
  ])

  const ctx = { home, platform: 'linux' as const, env: {} }
  const locations: ConfigLocation[] = [
    ...configLocations(ctx, [project], [{ insiders: false, id: 'work1' }]),
    loc('windsurf', join(home, '.codeium', 'windsurf', 'mcp_config.json'), ['mcpServers']),
    loc('gemini', join(home, '.gemini', 'settings.json'), ['mcpServers']),
    loc('codex', join(home, '.codex', 'config.toml'), ['mcp_servers']),
    loc('claude-desktop', join(home, '.config', 'Claude', 'claude_desktop_config.json'), ['mcpServers']),
    loc('opencode', join(home, '.config', 'opencode', 'opencode.json'), ['mcp']),
    loc('copilot', join(home, '.copilot', 'mcp-config.json'), ['mcpServers'])
  ]
  return { root, home, project, planted, locations, keys: k }
}

/** A location as the client modules describe theirs (their ids join the shared list with them). */
function loc(client: string, file: string, container: string[]): ConfigLocation {
  return { client: client as ConfigLocation['client'], scope: 'user', label: client, file, container }
}

const randomUuidLike = () => random(8, '0123456789abcdef') + '-' + random(4, '0123456789abcdef')
