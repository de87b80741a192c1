import { providerCatalog } from '../providers/catalog'

/**
 * A kind of key recognisable by its published prefix and shape. `pattern` must match the whole
 * token (the longest run of letters, digits, `_` and `-` starting at the prefix), so a prefix that
 * happens to begin a longer identifier, a hash or a base64 blob does not count.
 */
export interface KeyShape {
  id: string
  /** The service, as a person names it. */
  service: string
  prefix: string
  pattern: RegExp
}

// Public formats, from each service's own documentation of its token prefixes. Order matters
// where prefixes nest: the more specific one first (sk-ant- before sk-).
const PUBLIC: KeyShape[] = [
  { id: 'anthropic', service: 'Anthropic', prefix: 'sk-ant-', pattern: /^sk-ant-(?:api|admin|oat)\d{2}-[A-Za-z0-9_-]{80,120}$/ },
  { id: 'openai-project', service: 'OpenAI', prefix: 'sk-proj-', pattern: /^sk-proj-[A-Za-z0-9_-]{40,200}$/ },
  { id: 'openai-service', service: 'OpenAI', prefix: 'sk-svcacct-', pattern: /^sk-svcacct-[A-Za-z0-9_-]{40,200}$/ },
  { id: 'openai-admin', service: 'OpenAI', prefix: 'sk-admin-', pattern: /^sk-admin-[A-Za-z0-9_-]{40,200}$/ },
  { id: 'openai', service: 'OpenAI', prefix: 'sk-', pattern: /^sk-[A-Za-z0-9]{48}$/ },
  { id: 'github-pat', service: 'GitHub', prefix: 'github_pat_', pattern: /^github_pat_[A-Za-z0-9_]{82}$/ },
  ...['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'].map((prefix) => ({
    id: `github-${prefix[2]}`,
    service: 'GitHub',
    prefix,
    pattern: new RegExp(`^${prefix}[A-Za-z0-9]{36}$`)
  })),
  { id: 'gitlab', service: 'GitLab', prefix: 'glpat-', pattern: /^glpat-[A-Za-z0-9_-]{20,64}$/ },
  { id: 'aws', service: 'AWS', prefix: 'AKIA', pattern: /^AKIA[A-Z2-7]{16}$/ },
  { id: 'aws-session', service: 'AWS', prefix: 'ASIA', pattern: /^ASIA[A-Z2-7]{16}$/ },
  { id: 'google', service: 'Google Cloud', prefix: 'AIza', pattern: /^AIza[A-Za-z0-9_-]{35}$/ },
  ...['xoxb-', 'xoxp-', 'xoxa-', 'xoxr-', 'xoxs-'].map((prefix) => ({
    id: `slack-${prefix[3]}`,
    service: 'Slack',
    prefix,
    pattern: new RegExp(`^${prefix}\\d{6,}-[A-Za-z0-9-]{10,200}$`)
  })),
  { id: 'stripe-live', service: 'Stripe', prefix: 'sk_live_', pattern: /^sk_live_[A-Za-z0-9]{24,247}$/ },
  { id: 'stripe-restricted', service: 'Stripe', prefix: 'rk_live_', pattern: /^rk_live_[A-Za-z0-9]{24,247}$/ },
  { id: 'stripe-test', service: 'Stripe (test mode)', prefix: 'sk_test_', pattern: /^sk_test_[A-Za-z0-9]{24,247}$/ },
  { id: 'huggingface', service: 'Hugging Face', prefix: 'hf_', pattern: /^hf_[A-Za-z]{34}$/ },
  { id: 'npm', service: 'npm', prefix: 'npm_', pattern: /^npm_[A-Za-z0-9]{36}$/ },
  { id: 'groq', service: 'Groq', prefix: 'gsk_', pattern: /^gsk_[A-Za-z0-9]{52}$/ },
  { id: 'xai', service: 'xAI', prefix: 'xai-', pattern: /^xai-[A-Za-z0-9]{80}$/ },
  { id: 'perplexity', service: 'Perplexity', prefix: 'pplx-', pattern: /^pplx-[A-Za-z0-9]{48}$/ },
  { id: 'replicate', service: 'Replicate', prefix: 'r8_', pattern: /^r8_[A-Za-z0-9]{37}$/ },
  { id: 'digitalocean', service: 'DigitalOcean', prefix: 'dop_v1_', pattern: /^dop_v1_[a-f0-9]{64}$/ },
  { id: 'linear', service: 'Linear', prefix: 'lin_api_', pattern: /^lin_api_[A-Za-z0-9]{40}$/ },
  { id: 'shopify', service: 'Shopify', prefix: 'shpat_', pattern: /^shpat_[a-fA-F0-9]{32}$/ },
  { id: 'supabase', service: 'Supabase', prefix: 'sbp_', pattern: /^sbp_[a-f0-9]{40}$/ },
  { id: 'tavily', service: 'Tavily', prefix: 'tvly-', pattern: /^tvly-(?:dev-|prod-)?[A-Za-z0-9]{32}$/ },
  { id: 'pinecone', service: 'Pinecone', prefix: 'pcsk_', pattern: /^pcsk_[A-Za-z0-9_]{50,120}$/ }
]

/** The shapes of the services in the provider catalog (Local sandbox, Lyceum, VibeXP, Lybic). */
function catalogShapes(): KeyShape[] {
  return Object.values(providerCatalog).flatMap((info) =>
    info.keyPrefix && info.keyPattern ? [{ id: info.kind, service: info.label, prefix: info.keyPrefix, pattern: info.keyPattern }] : []
  )
}

/** Every shape the scan knows: the catalog's services first, then public ones. */
export const KEY_SHAPES: KeyShape[] = [...catalogShapes(), ...PUBLIC]

/** Characters a key token is made of; the run of them from a prefix is the token. */
export const TOKEN_BYTE = (() => {
  const t = new Uint8Array(256)
  for (let c = 48; c <= 57; c++) t[c] = 1
  for (let c = 65; c <= 90; c++) t[c] = 1
  for (let c = 97; c <= 122; c++) t[c] = 1
  t[95] = 1
  t[45] = 1
  return t
})()

/** The longest token looked at: every shape above is shorter. */
export const MAX_TOKEN = 300

/** The shape a whole token has, if any; documentation examples and placeholders have none. */
export function shapeOf(token: string, shapes: KeyShape[] = KEY_SHAPES): KeyShape | undefined {
  for (const shape of shapes) {
    if (token.startsWith(shape.prefix) && shape.pattern.test(token))
      return isPlaceholder(token.slice(shape.prefix.length)) ? undefined : shape
  }
  return undefined
}

/**
 * Values written to look like a key without being one: the examples in services' own documents
 * (AKIAIOSFODNN7EXAMPLE), "your-key-here", runs of x or 0, a body of a few distinct characters,
 * identifiers made of words.
 */
export function isPlaceholder(body: string): boolean {
  if (/example|placeholder|your[_-]?(?:api[_-]?)?(?:key|token)|x{6}|X{6}|0{8}|1234567890|abcdefghij|redacted/i.test(body)) return true
  // snake_case and kebab-case words (lk_user_account_id): an identifier, not a random token.
  if (/^[a-z]+(?:[_-][a-z]+)+$/.test(body)) return true
  return new Set(body).size < Math.min(10, Math.ceil(body.length / 3))
}
