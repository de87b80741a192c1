// Run as its own process by activity-log.test.ts: appends many events, as a helper or the bridge would.
import { recordActivity } from '../../../src/main/activity/activity-log'

const [dataDir, actor, count, maxBytes, key] = process.argv.slice(2)
for (let i = 0; i < Number(count); i++) {
  await recordActivity(
    dataDir!,
    {
      kind: 'key.read',
      by: actor as 'helper' | 'bridge',
      key: { id: `key-${process.pid}`, name: 'Work laptop – Claude Code', fingerprint: '0123456789abcdef' },
      client: 'claude-code',
      server: 'sandbox',
      detail: `seq ${i}`
    },
    { maxBytes: Number(maxBytes), mustNotContain: [key!] }
  )
}
