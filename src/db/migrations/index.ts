/** The list of migrations, in order. Add a new file and a line here; never edit a released one. */
import type { Migration } from 'kysely/migration';
import * as foundation from './20261125T0900_foundation.js';
import * as catalog from './20261125T1100_catalog.js';
import * as sharing from './20261125T1300_sharing.js';
import * as exchange from './20261125T1500_exchange.js';
import * as auditIndexes from './20261125T1700_audit_indexes.js';
import * as inventory from './20261125T1900_inventory.js';
import * as calendarStatutory from './20261207T0200_calendar_statutory.js';
import * as projects from './20261207T0300_projects.js';
import * as selfcheck from './20261207T0310_selfcheck.js';
import * as fileSources from './20261207T0320_file_sources.js';
import * as auditBlocks from './20261207T0400_audit_blocks.js';

export const migrations: Record<string, Migration> = {
  '20261125T0900_foundation': foundation,
  '20261125T1100_catalog': catalog,
  '20261125T1300_sharing': sharing,
  '20261125T1500_exchange': exchange,
  '20261125T1700_audit_indexes': auditIndexes,
  '20261125T1900_inventory': inventory,
  '20261207T0200_calendar_statutory': calendarStatutory,
  '20261207T0300_projects': projects,
  '20261207T0310_selfcheck': selfcheck,
  '20261207T0320_file_sources': fileSources,
  '20261207T0400_audit_blocks': auditBlocks,
};
