/** An RFC 9457 problem as the API answers it (application/problem+json), with field errors. */
export interface Problem {
  status?: number;
  title?: string;
  detail?: string;
  code?: string;
  errors?: { field: string; message: string; constraint?: string; values?: Record<string, string> }[];
}

/** Thrown by `unwrap` so TanStack Query carries the problem to the screen. */
export class ProblemError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title ?? 'Request failed');
  }
}

function asProblem(error: unknown, status: number): Problem {
  if (error && typeof error === 'object') return { status, ...(error as Problem) };
  return { status, title: String(error ?? status) };
}

/** The data of an openapi-fetch answer, or a ProblemError with the API's problem details. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.response.ok) return result.data as T;
  throw new ProblemError(asProblem(result.error, result.response.status));
}

type FieldWording = (e: NonNullable<Problem['errors']>[number]) => string;
let wording: FieldWording = (e) => e.message;

/**
 * How field messages are worded (in the active language): set by the i18n module when it loads, so
 * that this module, part of the entry, carries no texts.
 */
export function setFieldWording(w: FieldWording): void {
  wording = w;
}

/** The message of the field error naming this field or a part of it (`points[0].readings` etc.). */
export function fieldError(error: unknown, field: string): string | undefined {
  if (!(error instanceof ProblemError)) return undefined;
  const match = (f: string) => f === field || f.startsWith(`${field}.`) || f.startsWith(`${field}[`);
  const e = error.problem.errors?.find((x) => match(x.field));
  return e && wording(e);
}
