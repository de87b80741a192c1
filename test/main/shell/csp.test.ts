import { describe, expect, it } from 'vitest'
import { buildCsp } from '../../../src/main/shell/csp'
import { checkExternalUrl } from '../../../src/main/shell/open-external'

const directive = (csp: string, name: string) => csp.split('; ').find((d) => d.startsWith(`${name} `))

describe('content security policy', () => {
  it('allows only the app itself in production: no inline script, no eval, no remote hosts', () => {
    const csp = buildCsp()
    expect(directive(csp, 'default-src')).toBe("default-src 'none'")
    expect(directive(csp, 'script-src')).toBe("script-src 'self'")
    expect(directive(csp, 'connect-src')).toBe("connect-src 'self'")
    expect(csp).not.toContain('unsafe-eval')
    expect(csp).not.toContain('unsafe-inline')
    expect(csp).not.toMatch(/https?:/)
    expect(directive(csp, 'object-src')).toBe("object-src 'none'")
  })

  it("adds only the dev server's origin and websocket in development", () => {
    const csp = buildCsp({ devServerUrl: 'http://localhost:5173/' })
    expect(directive(csp, 'script-src')).toBe("script-src 'self' http://localhost:5173 'unsafe-inline'")
    expect(directive(csp, 'connect-src')).toBe("connect-src 'self' http://localhost:5173 ws://localhost:5173")
    expect(csp).not.toContain('unsafe-eval')
  })
})

describe('external links', () => {
  it('opens https links only', () => {
    expect(checkExternalUrl('https://app.vibexp.io/settings/api-keys')).toBe('https://app.vibexp.io/settings/api-keys')
    for (const bad of ['http://example.com', 'file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'not a url']) {
      expect(() => checkExternalUrl(bad)).toThrow(/https|valid address/)
    }
  })
})
