/**
 * Audit blocks: the events of one group-commit flush stored as one row.
 *
 * The exchange gate audits every call before it answers, thousands a second. Inserted one row per event,
 * the audit trail cost the database more than the lookups it records (parsing each event into sixteen
 * typed columns, a heap tuple, two index entries). A flush of the pipelined group commit now writes one
 * `audit_block`: the chained events as the JSON rows they always were (same fields, same per-event SM3
 * chain, so verification is unchanged), the seq and time range they cover, and the keys a search prunes
 * blocks by (object type and id, organization, user, username, outcome) under a GIN index, with how many
 * events have each. Events staged in business
 * transactions keep their rows. `audit_event` becomes the view of both, in which every event is one row
 * exactly as before; the console's search and the chain verification read the two stores directly, with
 * the pruning the view cannot do (see audit.repository).
 */
import { type Kysely, sql } from 'kysely';

/** The columns of an event, in the view's order, typed as jsonb_to_recordset reads them from a block. */
const EVENT_COLUMNS = `seq bigint, id uuid, occurred_at timestamptz, actor_user_id uuid, actor_username text,
  actor_org_id uuid, actor_system_id uuid, action text, object_type text, object_id text, outcome text,
  detail jsonb, request_id text, ip text, prev_hash text, hash text`;

const NAMES = `seq, id, occurred_at, actor_user_id, actor_username, actor_org_id, actor_system_id, action,
  object_type, object_id, outcome, detail, request_id, ip, prev_hash, hash`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table audit_event rename to audit_event_row`.execute(db);
  await db.schema
    .createTable('audit_block')
    .addColumn('first_seq', 'bigint', (c) => c.primaryKey())
    .addColumn('last_seq', 'bigint', (c) => c.notNull())
    .addColumn('first_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_at', 'timestamptz', (c) => c.notNull())
    .addColumn('keys', sql`text[]`, (c) => c.notNull())
    // How many of the block's events have each key: a search by one key counts without expanding blocks.
    .addColumn('key_counts', 'jsonb', (c) => c.notNull())
    .addColumn('events', 'text', (c) => c.notNull())
    .addCheckConstraint('audit_block_range', sql`last_seq >= first_seq and last_at >= first_at`)
    .execute();
  await sql`create index audit_block_keys_gin on audit_block using gin (keys) with (fastupdate = off)`.execute(
    db,
  );
  await sql`create index audit_block_time_brin on audit_block using brin (first_at)`.execute(db);
  // Append-only, as the rows are.
  await sql`
    create trigger audit_block_no_update before update or delete on audit_block
    for each row execute function audit_event_append_only()`.execute(db);
  await sql`
    create trigger audit_block_no_truncate before truncate on audit_block
    for each statement execute function audit_event_append_only()`.execute(db);
  await sql
    .raw(
      `create view audit_event as
         select ${NAMES} from audit_event_row
         union all
         select ${NAMES.split(',')
           .map((c) => `e.${c.trim()}`)
           .join(', ')}
         from audit_block b cross join lateral jsonb_to_recordset(b.events::jsonb) as e(${EVENT_COLUMNS})`,
    )
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop view audit_event`.execute(db);
  await sql
    .raw(
      `insert into audit_event_row (${NAMES})
         select ${NAMES.split(',')
           .map((c) => `e.${c.trim()}`)
           .join(', ')}
         from audit_block b cross join lateral jsonb_to_recordset(b.events::jsonb) as e(${EVENT_COLUMNS})`,
    )
    .execute(db);
  await sql`drop table audit_block`.execute(db);
  await sql`alter table audit_event_row rename to audit_event`.execute(db);
}
