import { afterAll } from 'vitest'
import { madeOutsideTests, removeFolder } from './temp-folder'

// Runs before every test file (vitest's setupFiles): what the file made outside its tests (in
// beforeAll, for a whole file) goes after its last afterAll has closed what used it.
afterAll(async () => {
  const dirs = [...madeOutsideTests]
  madeOutsideTests.clear()
  await Promise.all(dirs.map(removeFolder))
})
