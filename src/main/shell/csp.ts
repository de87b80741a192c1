/**
 * The window's Content-Security-Policy. Production allows only the app's own files; development
 * adds exactly what Vite's dev server needs (its origin, its websocket, the inline refresh
 * preamble) and nothing else.
 */
export function buildCsp(options: { devServerUrl?: string } = {}): string {
  const dev = options.devServerUrl ? new URL(options.devServerUrl) : undefined
  const script = ["'self'"]
  const connect = ["'self'"]
  if (dev) {
    script.push(dev.origin, "'unsafe-inline'")
    connect.push(dev.origin, `ws://${dev.host}`)
  }
  const directives: Record<string, string[]> = {
    'default-src': ["'none'"],
    'script-src': script,
    'style-src': ["'self'"],
    'img-src': ["'self'", 'data:'],
    'font-src': ["'self'"],
    'connect-src': connect,
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
    'frame-src': ["'none'"],
    'object-src': ["'none'"]
  }
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join('; ')
}
