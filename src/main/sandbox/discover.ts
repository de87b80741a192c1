import { randomBytes, timingSafeEqual } from 'node:crypto'
import { API_BASE_PATH, identityProof } from './server'
import { readSandboxSecret } from './store'

/**
 * Finds the sandbox the app is running on its saved port, so the command line can share it — but
 * only when it proves to be this vault's: it answers a fresh challenge with the secret kept in this
 * data folder. Anything else on that port (another program, another vault's sandbox) is never sent
 * a password; the caller starts a private sandbox instead.
 */
export async function findRunningSandbox(port: number, dataDir: string): Promise<{ url: string; mcpUrl: string } | undefined> {
  const secret = await readSandboxSecret(dataDir)
  if (!secret) return undefined
  const origin = `http://127.0.0.1:${port}`
  const challenge = randomBytes(24).toString('base64url')
  try {
    const res = await fetch(`${origin}/health?challenge=${challenge}`, { signal: AbortSignal.timeout(1000), redirect: 'error' })
    const body = (await res.json()) as { service?: string; proof?: unknown }
    const expected = Buffer.from(identityProof(secret, challenge))
    const proof = Buffer.from(typeof body.proof === 'string' ? body.proof : '')
    if (res.ok && body.service === 'keywarden-sandbox' && proof.length === expected.length && timingSafeEqual(proof, expected)) {
      return { url: `${origin}${API_BASE_PATH}`, mcpUrl: `${origin}/mcp` }
    }
  } catch {
    // Nothing listening, or something else is: start a private one instead.
  }
  return undefined
}
