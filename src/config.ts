/**
 * One typed, validated, frozen configuration, read from the environment and CLI flags.
 * Every problem is reported at once; nothing starts on a half-valid config.
 */
import { resolve } from 'node:path';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  readonly port: number;
  readonly host: string;
  /** PostgreSQL URL; when absent the node runs on PGlite under dataDir. */
  readonly databaseUrl: string | null;
  readonly dataDir: string;
  readonly logLevel: LogLevel;
  /** Marks cookies Secure; on for production behind HTTPS. */
  readonly secureCookies: boolean;
  readonly sessionHours: number;
  readonly loginMaxFailures: number;
  readonly loginLockMinutes: number;
  /** Logins per IP per minute before 429. */
  readonly loginRateLimit: number;
  /** Key for SM4 encryption of secrets at rest, 32 hex characters; derived from dataDir for PGlite trials. */
  readonly secretKey: string | null;
  /** Load the demo data on first start. */
  readonly demo: boolean;
  /** Calls per second one grant may make through the exchange gate (token bucket, burst twice that). */
  readonly grantRatePerSecond: number;
  /** Audit flush transactions in flight at once (pipelined group commit). */
  readonly auditPipeline: number;
}

export interface ConfigInput {
  env?: NodeJS.ProcessEnv;
  flags?: Partial<Record<keyof Config, string | number | boolean | null>>;
}

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function loadConfig(input: ConfigInput = {}): Config {
  const env = input.env ?? process.env;
  const flags = input.flags ?? {};
  const problems: string[] = [];

  const pick = (key: keyof Config, envName: string): string | undefined => {
    const f = flags[key];
    if (f !== undefined && f !== null) return String(f);
    const e = env[envName];
    return e === undefined || e === '' ? undefined : e;
  };

  const int = (key: keyof Config, envName: string, def: number, min: number, max: number): number => {
    const raw = pick(key, envName);
    if (raw === undefined) return def;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${envName} / --${kebab(key)}: must be an integer from ${min} to ${max}, got "${raw}"`);
      return def;
    }
    return n;
  };

  const bool = (key: keyof Config, envName: string, def: boolean): boolean => {
    const raw = pick(key, envName);
    if (raw === undefined) return def;
    if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
    if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
    problems.push(`${envName} / --${kebab(key)}: must be true or false, got "${raw}"`);
    return def;
  };

  const port = int('port', 'PORT', 8080, 0, 65535);
  const host = pick('host', 'HOST') ?? '0.0.0.0';
  const databaseUrl = pick('databaseUrl', 'DATABASE_URL') ?? null;
  if (databaseUrl !== null && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL: must start with postgres:// or postgresql://');
  }
  const dataDir = resolve(pick('dataDir', 'GOVSHARE_DATA_DIR') ?? './data');
  const logLevel = (pick('logLevel', 'LOG_LEVEL') ?? 'info') as LogLevel;
  if (!LEVELS.includes(logLevel))
    problems.push(`LOG_LEVEL: must be one of ${LEVELS.join(', ')}, got "${logLevel}"`);
  const secretKey = pick('secretKey', 'GOVSHARE_SECRET_KEY') ?? null;
  if (secretKey !== null && !/^[0-9a-fA-F]{32}$/.test(secretKey)) {
    problems.push('GOVSHARE_SECRET_KEY: must be 32 hexadecimal characters (a 128-bit SM4 key)');
  }

  const config: Config = {
    port,
    host,
    databaseUrl,
    dataDir,
    logLevel,
    secureCookies: bool('secureCookies', 'GOVSHARE_SECURE_COOKIES', false),
    sessionHours: int('sessionHours', 'GOVSHARE_SESSION_HOURS', 8, 1, 24 * 30),
    loginMaxFailures: int('loginMaxFailures', 'GOVSHARE_LOGIN_MAX_FAILURES', 5, 1, 100),
    loginLockMinutes: int('loginLockMinutes', 'GOVSHARE_LOGIN_LOCK_MINUTES', 15, 1, 24 * 60),
    loginRateLimit: int('loginRateLimit', 'GOVSHARE_LOGIN_RATE_LIMIT', 20, 1, 10000),
    secretKey,
    demo: bool('demo', 'GOVSHARE_DEMO', true),
    grantRatePerSecond: int('grantRatePerSecond', 'GOVSHARE_GRANT_RATE', 500, 1, 1_000_000),
    auditPipeline: int('auditPipeline', 'GOVSHARE_AUDIT_PIPELINE', 2, 1, 8),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
}

function kebab(s: string): string {
  return s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
