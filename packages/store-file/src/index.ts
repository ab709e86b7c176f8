export { defaultDirectory } from './directory.js';
export { type DjangoFileFormat, djangoFileFormat } from './django-file-format.js';
export { createDjangoFileStore, type DjangoFileStore } from './django-file-store.js';
export type { DjangoFileFormatOptions, DjangoFileStoreOptions } from './django-options.js';
export type {
  EncodedFile,
  FileFormat,
  FormatCapabilities,
  RetimedFile,
  StoredFile,
} from './file-format.js';
export { createFileStore, type FileStore } from './file-store.js';
export { jsonEnvelopeFormat } from './json-envelope-format.js';
export type { FileStoreOptions } from './options.js';
