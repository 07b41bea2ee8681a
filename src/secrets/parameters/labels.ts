/**
 * Label rules (Systems Manager User Guide, "Working with parameter labels"): up to 100 characters of
 * letters, digits, `.`, `-` and `_`; not beginning with a digit, nor with `aws` or `ssm`
 * (case-insensitive). LabelParameterVersion does not fail on a bad label: it leaves it out and
 * returns it in InvalidLabels.
 */
export function isValidLabel(label: string): boolean {
  return label.length <= 100 && /^[a-zA-Z0-9_.-]+$/.test(label) && !/^[0-9]/.test(label) && !/^(aws|ssm)/i.test(label);
}
