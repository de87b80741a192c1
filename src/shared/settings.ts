import { z } from 'zod'
import { lazySchema } from './lazy-schema'

export const themeSchema = lazySchema(() => z.enum(['system', 'light', 'dark']))
export type Theme = z.infer<typeof themeSchema>

/** What a person can change on the Settings page. */
export const preferencesSchema = lazySchema(() =>
  z.object({
    theme: themeSchema,
    /** Seconds after which a copied key is cleared from the clipboard, if it is still there. */
    clipboardSeconds: z.number().int().min(5).max(600),
    /** Seconds after which a revealed value is hidden again; 0 keeps it until the person hides it. */
    autoHideSeconds: z.number().int().min(0).max(600),
    /** Ask for the OS account (Touch ID) before a value is revealed or copied, where the platform can. */
    requireUnlock: z.boolean(),
    /** Days after which a key is due for rotation, unless its provider says otherwise. */
    rotationDays: z.number().int().min(1).max(3650),
    /** Providers whose due keys raise no desktop reminder (they still show as due in the list). */
    quietProviders: z.array(z.string().max(200)).max(200)
  })
)
export type Preferences = z.infer<typeof preferencesSchema>

export const defaultPreferences: Preferences = {
  theme: 'system',
  clipboardSeconds: 30,
  autoHideSeconds: 30,
  requireUnlock: false,
  rotationDays: 90,
  quietProviders: []
}

/** The Settings page: the preferences, and facts about this installation it shows. */
export const settingsSchema = lazySchema(() =>
  preferencesSchema.extend({
    unlock: z.object({ available: z.boolean(), label: z.string() }),
    dataDir: z.string(),
    keychainBackend: z.string(),
    version: z.string()
  })
)
export type Settings = z.infer<typeof settingsSchema>

export const settingsUpdateSchema = lazySchema(() => preferencesSchema.partial().strict())
