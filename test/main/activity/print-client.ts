// Run as its own process by activity-log.test.ts: prints which client started its parent shell.
import { askingClient } from '../../../src/main/activity/parent-process'

console.log(await askingClient())
