import { API_BASE_PATH } from './server'

/** Finds the sandbox the app is running on its saved port, so the command line can share it. */
export async function findRunningSandbox(port: number): Promise<{ url: string; mcpUrl: string } | undefined> {
  const origin = `http://127.0.0.1:${port}`
  try {
    const res = await fetch(`${origin}/health`, { signal: AbortSignal.timeout(1000) })
    const body = (await res.json()) as { service?: string }
    if (res.ok && body.service === 'keywarden-sandbox') return { url: `${origin}${API_BASE_PATH}`, mcpUrl: `${origin}/mcp` }
  } catch {
    // Nothing listening, or something else is: start a private one instead.
  }
  return undefined
}
