import type { KeyMeta, Provider } from '../../shared/schemas'
import type { AppClient } from '../ipc/client'

export interface Output {
  out(text: string): void
  err(text: string): void
}

/** What every group of commands receives: the contract as typed calls (opened on first use) and the output. */
export interface CommandDeps {
  api: () => Promise<AppClient>
  output: Output
}

export const stdio: Output = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`)
}

/** A plain aligned table; the person's terminal, not a report generator. */
export function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? []
  return rows
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd()
    )
    .join('\n')
}

export function keysTable(keys: KeyMeta[], providers: Provider[]): string {
  const names = new Map(providers.map((p) => [p.id, p.name]))
  return table([
    ['ID', 'NAME', 'PREFIX', 'PROVIDER', 'STATUS', 'CREATED', 'EXPIRES', 'IN VAULT'],
    ...keys.map((k) => [
      k.id.slice(0, 8),
      k.name,
      `${k.prefix}…`,
      names.get(k.providerId) ?? k.providerId,
      k.status,
      k.createdAt.slice(0, 10),
      k.expiresAt?.slice(0, 10) ?? '-',
      k.inVault ? 'yes' : 'no'
    ])
  ])
}
