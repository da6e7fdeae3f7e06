/** The WHERE clause of a filtered list (audit entries, recorded assessments) and its parameters. */

/** A value a condition's `?` stands for. */
export type SqlValue = string | number;

/**
 * `whereClause([['at >= ?', since], ['target = ?', target]])`: the conditions whose value is
 * given, joined with AND (an empty string when none is), and their values in order.
 */
export function whereClause(conditions: readonly (readonly [sql: string, value: SqlValue | undefined])[]): { readonly where: string; readonly params: SqlValue[] } {
  const set = conditions.filter((c): c is readonly [string, SqlValue] => c[1] !== undefined);
  return { where: set.length ? `WHERE ${set.map(([sql]) => sql).join(' AND ')}` : '', params: set.map(([, v]) => v) };
}
