import { type SQL, sql } from "drizzle-orm";

/**
 * A column written from one array parameter: its name, its Postgres type and the values. An
 * array type (e.g. `integer[]`) travels as the text of each array literal, because unnest
 * would flatten a two-dimensional array, and is cast back per row.
 */
type UnnestColumn = readonly [name: string, type: string, values: readonly unknown[]];

/**
 * `INSERT INTO table (cols) SELECT … FROM unnest($1::type[], $2::type[], …)`: one parameter
 * per column however many rows, so a batch of thousands of rows costs a few bind parameters
 * instead of drizzle building (and type-checking) one placeholder per value, which was most
 * of the worker's CPU. `tail` is the ON CONFLICT / RETURNING clause.
 */
export function unnestInsert(table: string, columns: readonly UnnestColumn[], tail: SQL): SQL {
  const names = columns.map(([name]) => name).join(", ");
  const isArray = (type: string) => type.endsWith("[]");
  const selected = columns
    .map(([name, type]) => (isArray(type) ? `${name}::${type}` : name))
    .join(", ");
  const arrays = sql.join(
    columns.map(
      ([, type, values]) => sql`${sql.param(values)}::${sql.raw(isArray(type) ? "text" : type)}[]`,
    ),
    sql`, `,
  );
  return sql`INSERT INTO ${sql.raw(table)} (${sql.raw(names)})
    SELECT ${sql.raw(selected)} FROM unnest(${arrays}) AS u(${sql.raw(names)}) ${tail}`;
}

/** `excluded` added to the stored value, for each counter column of an upsert. */
export function addExcluded(table: string, columns: readonly string[]): SQL {
  return sql.raw(columns.map((c) => `${c} = ${table}.${c} + excluded.${c}`).join(", "));
}
