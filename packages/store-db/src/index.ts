export { createDbStore, type DbStore } from './db-store.js';
export { djangoSchemaSql } from './django-schema.js';
export { createDjangoDbStore, type DjangoDbStore } from './django-store.js';
export { decodeJsonText, encodeJsonText } from './json-text.js';
export { type DbStoreOptions, type DjangoDbStoreOptions, STORE_NAME } from './options.js';
export type { PgPoolLike, PgQueryResultLike } from './pg-like.js';
export type { RowStore } from './row-store.js';
export { schemaSql } from './schema.js';
export { DEFAULT_TABLE_NAME, DJANGO_TABLE_NAME } from './table-name.js';
