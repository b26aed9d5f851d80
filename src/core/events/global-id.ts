/** The GraphQL global id of an object (Relay: base64 of "Type:id"), so event payloads can be fed straight to `node(id)`. */
export const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');

/** The same in SQL, for events written by set-based statements. */
export const globalIdSql = (type: string, column: string) => `translate(encode(convert_to('${type}:' || ${column}::text, 'UTF8'), 'base64'), E'\\n', '')`;

/** The row id inside a global id of `type` in SQL (null when the id is of another type), the reverse of globalIdSql. */
export const localIdSql = (type: string, column: string) =>
  `(CASE WHEN convert_from(decode(${column}, 'base64'), 'UTF8') LIKE '${type}:%' THEN substr(convert_from(decode(${column}, 'base64'), 'UTF8'), ${type.length + 2})::uuid END)`;
