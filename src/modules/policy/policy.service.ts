// CONTRACT (to be implemented): the policy table service.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.js';
import type { AuditLog } from '../audit/audit.service.js';

export class PolicyService {
  constructor(
    readonly db: Kysely<Database>,
    readonly audit: AuditLog,
  ) {}

  /** Upserts the shipped presets' rules; sets the national preset active when nothing is chosen. Idempotent. */
  async installPresets(): Promise<void> {}

  /** A working-day limit from the active preset (with overrides); null when the preset has no such limit. */
  async workingDays(key: string): Promise<number | null> {
    return key.length;
  }
}
