import AxeBuilder from '@axe-core/playwright'
import type { Page } from 'playwright-core'

/**
 * Watches the page for alerts that appear outside the dialog that is open: every error raised while
 * a dialog (or the palette) is open must be said inside it, not behind its overlay. Call before
 * loading the page; read the result with strayAlerts().
 */
export async function watchAlerts(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const stray: string[] = []
    ;(window as unknown as { __strayAlerts: string[] }).__strayAlerts = stray
    const check = (el: Element) => {
      const dialogs = [...document.querySelectorAll('[role="dialog"]')]
      const top = dialogs.at(-1)
      if (!top) return
      if (!top.contains(el)) stray.push(`${el.textContent ?? ''} (outside "${top.getAttribute('aria-label')}")`)
    }
    new MutationObserver((records) => {
      for (const r of records)
        for (const n of r.addedNodes) {
          if (!(n instanceof Element)) continue
          const alerts = n.matches('[role="alert"]') ? [n] : [...n.querySelectorAll('[role="alert"]')]
          alerts.forEach(check)
        }
    }).observe(document, { childList: true, subtree: true })
  })
}

export async function strayAlerts(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __strayAlerts?: string[] }).__strayAlerts ?? [])
}

/** Serious and critical axe findings on what the page shows now, one line each. */
export async function axeProblems(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    // Only violations are read: axe skips collecting passes, which is most of its work.
    .options({ resultTypes: ['violations'] })
    .analyze()
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 3)
          .join(', ')}`
    )
}
