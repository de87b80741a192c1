// The domain schemas, one file per domain; this module gathers them for code that needs several.
export * from './common'
export * from './providers'
export * from './keys'
export * from './mcp-clients'
export * from './rotation'
export * from './settings'
