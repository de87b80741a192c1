import { create } from 'zustand'

export type Page = 'keys' | 'providers' | 'tools' | 'rotations' | 'findings' | 'activity' | 'settings'
export type KeyChip = 'due' | 'not-in-vault' | 'plaintext' | 'unused'

/** The dialogs any part of the window (a page, the palette, a shortcut) can open on a key. */
export type KeyDialog =
  | { kind: 'create' | 'import' | 'rotate-due' }
  | { kind: 'inject' | 'rotate' | 'revoke' | 'forget' | 'rename'; keyId: string }
  | { kind: 'rotation'; rotationId: string }

interface UiState {
  page: Page
  selectedKeyId?: string
  chips: KeyChip[]
  dialog?: KeyDialog
  palette: boolean
  /** Bumped to ask the Keys page to focus its search box. */
  searchFocus: number
  /** Bumped to ask the Findings page to scan (the palette's "Scan for keys in plain text"). */
  scanRequest: number
  /** Set to open a provider's edit form (e.g. "Sign in again" on a sync failure). */
  editProviderId?: string
  setPage(page: Page): void
  select(keyId: string | undefined): void
  toggleChip(chip: KeyChip): void
  setChips(chips: KeyChip[]): void
  open(dialog: KeyDialog | undefined): void
  setPalette(open: boolean): void
  focusSearch(): void
  requestScan(): void
  editProvider(providerId: string | undefined): void
}

export const useUi = create<UiState>((set) => ({
  page: 'keys',
  chips: [],
  palette: false,
  searchFocus: 0,
  scanRequest: 0,
  setPage: (page) => set({ page }),
  select: (selectedKeyId) => set({ selectedKeyId }),
  toggleChip: (chip) => set((s) => ({ chips: s.chips.includes(chip) ? s.chips.filter((c) => c !== chip) : [...s.chips, chip] })),
  setChips: (chips) => set({ chips }),
  open: (dialog) => set({ dialog }),
  setPalette: (palette) => set({ palette }),
  focusSearch: () => set((s) => ({ page: 'keys', searchFocus: s.searchFocus + 1 })),
  requestScan: () => set((s) => ({ page: 'findings', scanRequest: s.scanRequest + 1 })),
  editProvider: (editProviderId) => set({ editProviderId, ...(editProviderId ? { page: 'providers' as const } : {}) })
}))
