/**
 * The one place errors become HTTP: DomainError → application/problem+json with a stable code,
 * a zh-CN and an English message and the offending fields. Schema validation errors are turned
 * into the same shape, naming each field and the rule it broke.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, type FieldProblem } from '../kernel/errors.js';
import type { AuditLog } from '../modules/audit/audit.service.js';
import { metaOf } from './context.js';

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  code: string;
  message: { zh: string; en: string };
  fields: FieldProblem[];
  requestId: string;
}

interface AjvLikeError {
  instancePath?: string;
  keyword?: string;
  message?: string;
  params?: Record<string, unknown>;
}

const RULE_ZH: Record<string, (p: Record<string, unknown>) => string> = {
  required: () => '必填',
  type: (p) => `类型应为 ${String(p.type)}`,
  minLength: (p) => `长度至少为 ${String(p.limit)}`,
  maxLength: (p) => `长度至多为 ${String(p.limit)}`,
  minimum: (p) => `不能小于 ${String(p.limit)}`,
  maximum: (p) => `不能大于 ${String(p.limit)}`,
  pattern: () => '格式不正确',
  format: (p) => `格式应为 ${String(p.format)}`,
  enum: (p) => `取值应为：${(p.allowedValues as unknown[] | undefined)?.join('、') ?? ''}`,
  const: (p) => `取值应为 ${String(p.allowedValue)}`,
  additionalProperties: (p) => `不允许的字段 ${String(p.additionalProperty)}`,
  anyOf: () => '取值不符合任何允许的形式',
};

function fieldsFromValidation(errors: AjvLikeError[], context: string | undefined): FieldProblem[] {
  return errors.map((e) => {
    const params = e.params ?? {};
    let path = (e.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
    if (e.keyword === 'required' && typeof params.missingProperty === 'string') {
      path = path ? `${path}.${params.missingProperty}` : params.missingProperty;
    }
    if (e.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
      path = path ? `${path}.${params.additionalProperty}` : params.additionalProperty;
    }
    const field = path || context || '(body)';
    const rule = e.keyword ?? 'invalid';
    const zh = RULE_ZH[rule]?.(params) ?? '取值无效';
    return { field, rule, zh: `${field}：${zh}`, en: `${field}: ${e.message ?? 'invalid'}` };
  });
}

export function problemOf(err: unknown, requestId: string): ProblemBody {
  if (err instanceof DomainError) {
    return {
      type: `https://govshare.dev/problems/${err.code.toLowerCase()}`,
      title: err.en,
      status: err.status,
      code: err.code,
      message: { zh: err.zh, en: err.en },
      fields: err.fields,
      requestId,
    };
  }
  const fe = err as FastifyError & { validation?: AjvLikeError[]; validationContext?: string };
  if (Array.isArray(fe.validation)) {
    return problemOf(
      DomainError.validation(fieldsFromValidation(fe.validation, fe.validationContext)),
      requestId,
    );
  }
  if (fe.statusCode === 429) {
    return problemOf(
      new DomainError('RATE_LIMITED', {
        zh: '请求过于频繁，请稍后再试',
        en: 'Too many requests; try again later',
      }),
      requestId,
    );
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    const code = fe.statusCode === 404 ? 'NOT_FOUND' : fe.statusCode === 415 ? 'VALIDATION' : 'VALIDATION';
    const status = fe.statusCode;
    return {
      type: `https://govshare.dev/problems/${code.toLowerCase()}`,
      title: fe.message,
      status,
      code,
      message: { zh: `请求无效：${fe.message}`, en: fe.message },
      fields: [],
      requestId,
    };
  }
  return problemOf(
    new DomainError('INTERNAL', { zh: '服务器内部错误', en: 'Internal server error' }),
    requestId,
  );
}

export function installProblemHandler(app: FastifyInstance, audit: AuditLog): void {
  app.setErrorHandler(async (err: unknown, req: FastifyRequest, reply: FastifyReply) => {
    const body = problemOf(err, String(req.id));
    if (body.status >= 500) req.log.error({ err }, 'request failed');
    if (body.code === 'FORBIDDEN' || body.code === 'CSRF') {
      // A refused attempt is itself an event auditors need to see.
      const meta = metaOf(req);
      await audit.record({
        ...meta,
        action: 'access.denied',
        objectType: 'endpoint',
        objectId: `${req.method} ${req.routeOptions.url ?? req.url}`,
        outcome: 'denied',
        detail: { code: body.code, reason: body.message.en },
      });
    }
    return reply.status(body.status).type('application/problem+json').send(body);
  });
  app.setNotFoundHandler(async (req, reply) => {
    const body = problemOf(
      new DomainError('NOT_FOUND', {
        zh: `没有这个地址：${req.url}`,
        en: `No such route: ${req.method} ${req.url}`,
      }),
      String(req.id),
    );
    return reply.status(404).type('application/problem+json').send(body);
  });
}
