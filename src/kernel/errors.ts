/**
 * One error type for the whole platform. Services throw DomainError with a stable code;
 * the HTTP layer maps it to application/problem+json in one place (src/http/problem.ts).
 */

export type ErrorCode =
  | 'VALIDATION'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'INVALID_STATE'
  | 'RATE_LIMITED'
  | 'ACCOUNT_LOCKED'
  | 'CALENDAR_UNKNOWN'
  | 'CSRF'
  | 'UPSTREAM_UNAVAILABLE'
  | 'INTERNAL';

export interface Message {
  zh: string;
  en: string;
}

/** One offending field: where it is (a JSON-pointer-like path), which rule it broke, and why. */
export interface FieldProblem {
  field: string;
  rule: string;
  zh: string;
  en: string;
}

const STATUS: Record<ErrorCode, number> = {
  VALIDATION: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  INVALID_STATE: 409,
  RATE_LIMITED: 429,
  ACCOUNT_LOCKED: 423,
  CALENDAR_UNKNOWN: 422,
  CSRF: 403,
  UPSTREAM_UNAVAILABLE: 502,
  INTERNAL: 500,
};

export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly zh: string;
  readonly en: string;
  readonly fields: FieldProblem[];

  constructor(code: ErrorCode, message: Message, fields: FieldProblem[] = []) {
    super(message.en);
    this.name = 'DomainError';
    this.code = code;
    this.zh = message.zh;
    this.en = message.en;
    this.fields = fields;
  }

  get status(): number {
    return STATUS[this.code];
  }

  static validation(fields: FieldProblem[]): DomainError {
    const list = fields.map((f) => f.field).join(', ');
    return new DomainError('VALIDATION', { zh: `输入有误：${list}`, en: `Invalid input: ${list}` }, fields);
  }

  static notFound(what: Message): DomainError {
    return new DomainError('NOT_FOUND', { zh: `${what.zh}不存在`, en: `${what.en} not found` });
  }

  static forbidden(reason?: Message): DomainError {
    return new DomainError(
      'FORBIDDEN',
      reason ?? { zh: '无权执行此操作', en: 'You are not allowed to do this' },
    );
  }

  static conflict(message: Message, fields: FieldProblem[] = []): DomainError {
    return new DomainError('CONFLICT', message, fields);
  }

  static invalidState(message: Message): DomainError {
    return new DomainError('INVALID_STATE', message);
  }
}

/** Collects field problems so that every problem of an input is reported at once. */
export class Problems {
  private readonly list: FieldProblem[] = [];

  add(field: string, rule: string, zh: string, en: string): this {
    this.list.push({ field, rule, zh, en });
    return this;
  }

  addAll(problems: FieldProblem[]): this {
    this.list.push(...problems);
    return this;
  }

  get items(): readonly FieldProblem[] {
    return this.list;
  }

  get empty(): boolean {
    return this.list.length === 0;
  }

  throwIfAny(): void {
    if (this.list.length > 0) throw DomainError.validation([...this.list]);
  }
}
