import { catalogue, messageFi, type ProblemCode } from "../core/errors.ts";

/** One problem of a file, as the machine-readable report carries it (DESIGN.md, "Contract details"). */
export interface Problem {
  code: ProblemCode;
  row: number | null;
  line: number | null;
  column: string | null;
  value: string | null;
  message: string;
}

/** Where in the file a problem is and what it is about. */
export interface ProblemPlace {
  row?: number | null;
  line?: number | null;
  column?: string | null;
  value?: string | null;
}

/** Builds a problem with its Finnish message from the catalogue. */
export function problem(
  code: ProblemCode,
  place: ProblemPlace = {},
  params: Record<string, unknown> = {},
): Problem {
  const value = place.value ?? null;
  const column = place.column ?? null;
  return {
    code,
    row: place.row ?? null,
    line: place.line ?? null,
    column,
    value,
    message: messageFi(code, {
      value: quoteValue(value),
      column,
      row: place.row,
      line: place.line,
      ...params,
    }),
  };
}

/** Whether a problem stops the file from loading. */
export function isError(p: Problem): boolean {
  return catalogue[p.code].severity === "error";
}

function quoteValue(value: string | null): string {
  return value === null ? "(tyhjä)" : `"${value}"`;
}
