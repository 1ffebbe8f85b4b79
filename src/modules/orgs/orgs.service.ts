// CONTRACT (to be implemented): organizations and officers.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.js';
import type { AuditLog } from '../audit/audit.service.js';
import type { CalendarService } from '../calendar/calendar.service.js';
import type { PolicyService } from '../policy/policy.service.js';

export class OrgsService {
  constructor(
    readonly db: Kysely<Database>,
    readonly audit: AuditLog,
    readonly calendar: CalendarService,
    readonly policy: PolicyService,
  ) {}
}
