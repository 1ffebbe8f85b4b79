/**
 * File exchange with integrity checks (R5.5). A provider attaches files to one of its catalog
 * resources; the sender states the SM3 digest it computed (`x-content-sm3`), the platform recomputes
 * it and refuses a mismatch, stores the bytes with the digest, and hands the digest back on every
 * download so the receiver checks it too (and re-checks the stored bytes before sending them).
 * Consuming systems download through the gate with the same admission as queries (bearer token, an
 * active grant on the resource, X-Purpose matching it); a file resource (electronic_file etc.) needs
 * no mount, the grant on the entry suffices. Every upload (also a refused one) and every download is
 * audited. A new file is also a change of the resource: subscribers hear of it (key `$file`).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.js';
import type { RequestMeta } from '../../http/context.js';
import { DomainError, type FieldProblem, type Message } from '../../kernel/errors.js';
import { isUuid } from '../../kernel/ids.js';
import { sm3Hex } from '../../kernel/sm3.js';
import { chinaToday } from '../../kernel/workdays.js';
import type { Services } from '../../services.js';
import { authorize, listScope, type SystemActor, type UserActor } from '../auth/auth.policy.js';
import { admitSystem, type FeedDeps, type FeedService, feedDepsOf, feedFor } from './exchange.feed.js';

/** Largest file accepted (50 MB). */
export const MAX_EXCHANGE_FILE_BYTES = 50 * 1024 * 1024;

const FILE: Message = { zh: '文件', en: 'File' };
const ENTRY: Message = { zh: '目录资源', en: 'Catalog entry' };

export interface FileView {
  id: string;
  entryId: string;
  resource: string;
  name: string;
  contentType: string;
  size: number;
  /** SM3 of the bytes, lowercase hex. */
  sm3: string;
  uploadedBy: string | null;
  uploadedAt: string;
}

export interface UploadInput {
  entryId: string;
  /** The file name as sent (x-file-name; percent-encoded UTF-8 is decoded). */
  name: string | undefined;
  contentType: string | undefined;
  /** The digest the sender computed (x-content-sm3). */
  sm3: string | undefined;
  data: Buffer;
}

function toBuffer(v: Uint8Array): Buffer {
  return Buffer.isBuffer(v) ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}

/** Decodes a header file name: percent-encoded UTF-8 (how non-ASCII names travel in headers). */
export function decodeFileName(raw: string | undefined): string | null {
  if (raw === undefined) return null;
  try {
    return decodeURIComponent(raw).trim();
  } catch {
    return null;
  }
}

export class FileExchangeService {
  constructor(
    readonly deps: FeedDeps,
    readonly feed: FeedService | null = null,
  ) {}

  private get db(): Kysely<Database> {
    return this.deps.db;
  }

  private metaQuery() {
    return this.db
      .selectFrom('exchange_file as f')
      .innerJoin('catalog_entry as e', 'e.id', 'f.entry_id')
      .select([
        'f.id',
        'f.entry_id',
        'e.code',
        'f.name',
        'f.content_type',
        'f.size',
        'f.sm3',
        'f.uploaded_by',
        'f.uploaded_at',
      ]);
  }

  private view(
    r: Awaited<ReturnType<ReturnType<FileExchangeService['metaQuery']>['execute']>>[number],
  ): FileView {
    return {
      id: r.id,
      entryId: r.entry_id,
      resource: r.code,
      name: r.name,
      contentType: r.content_type,
      size: Number(r.size),
      sm3: r.sm3,
      uploadedBy: r.uploaded_by,
      uploadedAt: r.uploaded_at.toISOString(),
    };
  }

  /** Stores a file of the provider's resource after checking the sender's SM3 digest. */
  async upload(meta: RequestMeta, actor: UserActor, input: UploadInput): Promise<FileView> {
    if (!isUuid(input.entryId)) throw DomainError.notFound(ENTRY);
    const entry = await this.deps.catalog.get(actor, input.entryId);
    authorize(actor, 'exchange.write', entry.providerOrgId);
    const p: FieldProblem[] = [];
    if (entry.revisionOf) {
      p.push({
        field: 'entryId',
        rule: 'entry.current',
        zh: '文件须附在资源本身，而非其修订稿',
        en: 'Attach files to the resource itself, not to a revision',
      });
    }
    const name = input.name ?? '';
    if (!name) {
      p.push({
        field: 'x-file-name',
        rule: 'required',
        zh: '须在 x-file-name 请求头中给出文件名（UTF-8 百分号编码）',
        en: 'Name the file in the x-file-name header (percent-encoded UTF-8)',
      });
    } else if (name.length > 255 || /[/\\\p{Cc}]/u.test(name) || name === '.' || name === '..') {
      p.push({
        field: 'x-file-name',
        rule: 'file_name',
        zh: '文件名不能含路径分隔符或控制字符，且不超过 255 个字符',
        en: 'The file name must have no path separators or control characters, at most 255 characters',
      });
    }
    const contentType = (input.contentType ?? 'application/octet-stream').trim().slice(0, 200);
    const declared = (input.sm3 ?? '').trim().toLowerCase();
    if (!/^[0-9a-f]{64}$/.test(declared)) {
      p.push({
        field: 'x-content-sm3',
        rule: declared ? 'sm3.format' : 'required',
        zh: '须在 x-content-sm3 请求头中给出文件的 SM3 摘要（64 位十六进制）',
        en: 'Send the SM3 digest of the file in the x-content-sm3 header (64 hexadecimal characters)',
      });
    }
    if (input.data.length === 0) {
      p.push({ field: 'body', rule: 'required', zh: '文件内容为空', en: 'The file is empty' });
    } else if (input.data.length > MAX_EXCHANGE_FILE_BYTES) {
      p.push({
        field: 'body',
        rule: 'maxSize',
        zh: `文件不能超过 ${MAX_EXCHANGE_FILE_BYTES / 1024 / 1024} MB`,
        en: `The file must not exceed ${MAX_EXCHANGE_FILE_BYTES / 1024 / 1024} MB`,
      });
    }
    const actual = sm3Hex(input.data);
    if (p.length === 0 && actual !== declared) {
      p.push({
        field: 'x-content-sm3',
        rule: 'sm3.mismatch',
        zh: `x-content-sm3 与收到的内容不一致（收到内容的 SM3 为 ${actual}），文件可能在传输中损坏`,
        en: `x-content-sm3 does not match the content received (its SM3 is ${actual}): the file may be damaged in transit`,
      });
    }
    if (p.length) {
      await this.deps.audit.record({
        ...meta,
        action: 'exchange.file.upload',
        objectType: 'catalog_entry',
        objectId: entry.id,
        outcome: 'denied',
        detail: {
          resource: entry.code,
          name: name.slice(0, 255),
          size: input.data.length,
          declaredSm3: declared.slice(0, 64),
          sm3: actual,
          rules: p.map((x) => x.rule),
        },
      });
      throw DomainError.validation(p);
    }
    const id = await this.deps.audit.transaction(async (tx) => {
      const f = await tx
        .insertInto('exchange_file')
        .values({
          entry_id: entry.id,
          name,
          content_type: contentType,
          size: input.data.length,
          sm3: actual,
          data: input.data,
          uploaded_by: actor.userId,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await this.feed?.appendChanges(tx, entry.id, [{ op: 'upsert', key: { $file: f.id, $name: name } }]);
      await this.deps.audit.stage(tx, {
        ...meta,
        action: 'exchange.file.upload',
        objectType: 'exchange_file',
        objectId: f.id,
        detail: {
          entryId: entry.id,
          resource: entry.code,
          name,
          contentType,
          size: input.data.length,
          sm3: actual,
        },
      });
      return f.id;
    });
    return this.view(await this.metaQuery().where('f.id', '=', id).executeTakeFirstOrThrow());
  }

  /** Whether the organization holds an active grant on the entry as consumer. */
  private async consumerOf(orgId: string, entryId: string): Promise<boolean> {
    const today = chinaToday(this.deps.clock.now());
    const g = await this.db
      .selectFrom('share_grant')
      .select('id')
      .where('consumer_org_id', '=', orgId)
      .where('entry_id', '=', entryId)
      .where('status', '=', 'active')
      .where('valid_from', '<=', today)
      .where('valid_to', '>=', today)
      .executeTakeFirst();
    return g !== undefined;
  }

  /** The files of a resource: for its provider, the platform office and auditors, and grant holders. */
  async list(actor: UserActor, entryId: string): Promise<FileView[]> {
    if (!isUuid(entryId)) throw DomainError.notFound(ENTRY);
    const entry = await this.deps.catalog.get(actor, entryId);
    const org = listScope(authorize(actor, 'exchange.read'), 'exchange.read');
    if (org && org !== entry.providerOrgId && !(await this.consumerOf(org, entry.id))) {
      throw DomainError.forbidden({
        zh: '只有提供方和持有有效授权的使用方可查看该资源的文件',
        en: "Only the resource's provider and holders of an active grant see its files",
      });
    }
    const rows = await this.metaQuery()
      .where('f.entry_id', '=', entry.id)
      .orderBy('f.uploaded_at', 'desc')
      .limit(1000)
      .execute();
    return rows.map((r) => this.view(r));
  }

  /** The files of a granted resource, for a consuming system through the gate. */
  async listForSystem(
    system: SystemActor,
    meta: RequestMeta,
    ref: string,
    purpose: string | undefined,
  ): Promise<FileView[]> {
    const { entry, grant } = await admitSystem(this.deps, system, meta, ref, purpose, 'file.list');
    const rows = await this.metaQuery()
      .where('f.entry_id', '=', entry.id)
      .orderBy('f.uploaded_at', 'desc')
      .limit(1000)
      .execute();
    await this.deps.audit.record({
      ...meta,
      action: 'exchange.file.list',
      objectType: 'catalog_entry',
      objectId: entry.id,
      detail: { resource: entry.code, grantId: grant.id, purpose: grant.purposeCategory, count: rows.length },
    });
    return rows.map((r) => this.view(r));
  }

  /**
   * A file for a consuming system with an active grant on its resource. The stored bytes are checked
   * against their digest before they leave; the download is audited before the answer goes out.
   */
  async download(
    system: SystemActor,
    meta: RequestMeta,
    ref: string,
    purpose: string | undefined,
    fileId: string,
  ): Promise<{ file: FileView; data: Buffer }> {
    const { entry, grant } = await admitSystem(this.deps, system, meta, ref, purpose, 'file.download');
    const row = isUuid(fileId)
      ? await this.metaQuery()
          .select('f.data')
          .where('f.id', '=', fileId)
          .where('f.entry_id', '=', entry.id)
          .executeTakeFirst()
      : undefined;
    if (!row) throw DomainError.notFound(FILE);
    const data = toBuffer(row.data);
    const file = this.view(row);
    const intact = sm3Hex(data) === file.sm3;
    await this.deps.audit.record({
      ...meta,
      action: 'exchange.file.download',
      objectType: 'exchange_file',
      objectId: file.id,
      outcome: intact ? 'ok' : 'error',
      detail: {
        resource: entry.code,
        grantId: grant.id,
        purpose: grant.purposeCategory,
        name: file.name,
        size: file.size,
        sm3: file.sm3,
        ...(intact ? {} : { error: 'stored bytes do not match their SM3' }),
      },
    });
    if (!intact) {
      throw new DomainError('INTERNAL', {
        zh: '存储的文件未通过完整性校验，已记录',
        en: 'The stored file failed its integrity check; this has been recorded',
      });
    }
    return { file, data };
  }
}

const files = new WeakMap<Services, FileExchangeService>();

/** The node's file exchange: `services.files` once the composition root provides one, else made on first use. */
export function filesFor(services: Services): FileExchangeService {
  if ('files' in services && services.files instanceof FileExchangeService) return services.files;
  let f = files.get(services);
  if (!f) {
    f = new FileExchangeService(feedDepsOf(services), feedFor(services));
    files.set(services, f);
  }
  return f;
}
