import { findRunningSandbox } from '../sandbox/discover'
import { startSandbox } from '../sandbox/server'
import type { SandboxStore } from '../sandbox/store'
import { ensureSandboxProvider } from '../providers/sandbox-provider'
import type { Vault } from '../vault/vault'
import type { AppOptions } from './options'

export interface SandboxLink {
  running?: { url: string; mcpUrl: string; close(): Promise<void> }
  /**
   * Whether the sandbox outlives this process's command: the window's, or one found running (the
   * app's, or `keywarden sandbox`). A private one a command started stops when the command ends.
   */
  lasting: boolean
  error?: string
}

/**
 * Starts the embedded sandbox (the window), or finds the one the app runs on its saved port and
 * starts a private one only when there is none (the command line); then makes sure its provider
 * exists and can sign in.
 */
export async function linkSandbox(vault: Vault, options: AppOptions): Promise<SandboxLink> {
  const link: SandboxLink = { lasting: options.sandbox === 'start' }
  // Set when this process serves the sandbox (not when it found another Keywarden serving it).
  let served: SandboxStore | undefined
  const savedPort = vault.settings.get().sandboxPort
  if (options.sandbox === 'attach' && savedPort) {
    const running = await findRunningSandbox(savedPort, options.dataDir)
    if (running) Object.assign(link, { running: { ...running, close: async () => {} }, lasting: true })
  }
  if (options.sandbox && options.sandbox !== 'off' && !link.running) {
    try {
      const started = await startSandbox({ dataDir: options.dataDir, port: savedPort })
      link.running = started
      served = started.store
    } catch {
      // The saved port may be taken by now; any free one will do, the configs get repaired by rotation.
      try {
        const started = await startSandbox({ dataDir: options.dataDir })
        link.running = started
        served = started.store
      } catch (second) {
        link.error = `The local sandbox could not start: ${(second as Error).message}`
      }
    }
    if (link.running) {
      const port = Number(new URL(link.running.url).port)
      if (vault.settings.get().sandboxPort !== port) await vault.settings.setSandboxPort(port)
    }
  }
  if (link.running) {
    try {
      await ensureSandboxProvider({
        vault,
        secrets: options.secrets,
        sandboxUrl: link.running.url,
        store: served,
        fetch: options.fetch,
        now: options.now
      })
    } catch (error) {
      link.error = (error as Error).message
    }
  }
  return link
}
