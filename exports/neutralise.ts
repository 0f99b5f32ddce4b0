/**
 * A text a spreadsheet will not take for a formula (CSV injection, as OWASP advises): one that starts
 * with = + - @ tab or CR gets a leading apostrophe. Every CSV and XLSX text cell goes through it.
 */
export function neutralise(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
