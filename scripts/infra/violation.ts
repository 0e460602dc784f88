// One finding of an offline check: where (file, line, resource address), which rule, and what is wrong.
export interface Violation {
  file: string;
  line?: number;
  /** Terraform address (`aws_lb.public`, `variable.region`) or Dockerfile instruction; `-` for the file as a whole. */
  address: string;
  rule: string;
  message: string;
}

export function formatViolation(v: Violation): string {
  const where = v.line === undefined ? v.file : `${v.file}:${v.line}`;
  return `${where}: ${v.address}: [${v.rule}] ${v.message}`;
}
