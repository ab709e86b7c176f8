import { describeSessionStore } from '@sess/store-test-suite';
import { createFileStore } from '../src/index.js';
import { randomPrefix, rawDataText, readRaw, scratchDirectory } from './support.js';

// Every store of the suite shares one directory; the prefix is what separates them.
const directory = scratchDirectory('suite');
const fresh = () => createFileStore({ directory, prefix: randomPrefix() });

describeSessionStore('@sess/store-file', {
  create: fresh,
  createIsolated: fresh,
  raw: {
    read: readRaw,
    data: (raw) =>
      raw === null ? null : (JSON.parse(raw as string) as { data: Record<string, unknown> }).data,
    dataBytes: rawDataText,
  },
});
