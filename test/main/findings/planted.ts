import { createHash, randomBytes, randomUUID } from 'node:crypto'

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
const URLSAFE = `${ALNUM}_-`

/** A random string over an alphabet, as real keys are made. */
export function random(length: number, alphabet = ALNUM): string {
  const bytes = randomBytes(length * 2)
  let out = ''
  for (let i = 0; out.length < length; i++) out += alphabet[bytes[i % bytes.length]! % alphabet.length]
  return out
}

/** Keys in each service's published format, freshly made (never real ones). */
export const makeKey = {
  openaiProject: () => `sk-proj-${random(156, URLSAFE)}`,
  openaiLegacy: () => `sk-${random(48)}`,
  anthropic: () => `sk-ant-api03-${random(93, URLSAFE)}AA`,
  github: () => `ghp_${random(36)}`,
  githubFine: () => `github_pat_${random(22)}_${random(59)}`,
  aws: () => `AKIA${random(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`,
  google: () => `AIza${random(35, URLSAFE)}`,
  slack: () => `xoxb-${random(11, '0123456789')}-${random(13, '0123456789')}-${random(24)}`,
  stripe: () => `sk_live_${random(99)}`,
  huggingface: () => `hf_${random(34, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz')}`,
  sandbox: () => `sbx_${random(40)}`,
  lyceum: () => `lk_${random(40, URLSAFE)}`,
  vibexp: () => `vib_${random(64)}`,
  lybic: () => `lysk-${random(48, URLSAFE)}`
}

/**
 * Text that looks secret-ish and is not: identifiers, hashes, commit ids, base64 blobs, JWTs
 * without a key prefix, documented example keys, placeholders, and words a prefix search trips on.
 */
export function nonSecretCorpus(lines = 4000): string {
  const out: string[] = []
  const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)]!
  const templates: Array<() => string> = [
    () => `request id ${randomUUID()} finished in 12ms`,
    () => `commit ${createHash('sha1').update(randomBytes(8)).digest('hex')} Merge branch 'task-runner' into main`,
    () => `sha256:${createHash('sha256').update(randomBytes(8)).digest('hex')}`,
    () => `"integrity": "sha512-${createHash('sha512').update(randomBytes(8)).digest('base64')}"`,
    () => `data:image/png;base64,${randomBytes(900).toString('base64')}`,
    () =>
      `Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.${randomBytes(48).toString('base64url')}.${randomBytes(32).toString('base64url')}`,
    () => `aws_access_key_id = AKIAIOSFODNN7EXAMPLE`,
    () => `aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY`,
    () => `OPENAI_API_KEY=sk-proj-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
    () => `export GITHUB_TOKEN=ghp_your_token_here`,
    () => `pip install scikit-learn && python -m sk-learn-demo --task-id ${randomUUID()}`,
    () => `const key = process.env.ANTHROPIC_API_KEY // sk-ant-... from the console`,
    () => `see https://example.com/docs/ghp_tokens and the AIza prefix of Google keys`,
    () => `git checkout -b feature/desk-${randomBytes(6).toString('hex')} && npm run lint`,
    () => `${randomBytes(24).toString('base64url')}_${randomBytes(24).toString('base64url')}`,
    () => `ETag: W/"${randomBytes(20).toString('hex')}"`,
    () => `session ${randomUUID().replace(/-/g, '')} resumed; lk_ prefix is Lyceum's, vib_ is VibeXP's`,
    () => `path /home/dev/src/risk-sk-proj-notes/hf_cache/AKIA-rotation.md`,
    () => `xoxb-not-a-token and sk_live_ in the Stripe docs; sbx_ keys come from the sandbox`,
    () => `npm_config_cache=/tmp/npm_cache_${randomBytes(8).toString('hex')}`,
    () => `SELECT lk_user_account_id_column FROM lk_customer_orders_archive; -- sbx_environment_name, lysk-docs-page-reference-link`,
    () => `${random(64, '0123456789abcdef')} ${random(40, ALNUM)} ${random(32, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`
  ]
  for (let i = 0; i < lines; i++) out.push(pick(templates)())
  return `${out.join('\n')}\n`
}
