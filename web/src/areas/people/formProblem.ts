/**
 * A server error on a form: every field problem goes under its control (applyProblemToForm); what is
 * left for an Alert above the form is returned, or null when the controls already say it all.
 */
import type { FormInstance } from 'antd';
import { ApiError, applyProblemToForm } from '../../api';
import type { Lang } from '../../i18n';

export interface FormProblem {
  message: string;
  details: string[];
}

export function formProblem(form: FormInstance, err: unknown, lang: Lang): FormProblem | null {
  const r = applyProblemToForm(form, err, lang);
  const placed = err instanceof ApiError && err.problem.fields.length > r.unmatched.length;
  if (placed && r.unmatched.length === 0) return null;
  return { message: r.message, details: r.unmatched.map((p) => (lang === 'en' ? p.en : p.zh)) };
}
