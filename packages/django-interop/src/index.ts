export {
  type Django,
  DjangoOpError,
  djangoAtLeast,
  hasSecretKeyFallbacks,
  majorMinor,
  openDjango,
  runDjango,
} from './django.js';
export { DEFAULT_PYTHON, DjangoUnavailable, DRIVER_PATH } from './driver-process.js';
export {
  describeExpiryReadByDjango,
  type ExpiryReadByDjango,
  type ExpirySessionLike,
} from './expiry-cases.js';
export {
  driveCompressedBothWays,
  driveDjangoLogout,
  driveKeySalt,
  driveLastWriterWins,
  driveTamperedByDjango,
  driveTamperedByNode,
  type InteropEngine,
  type InteropStore,
  type InteropStoreOptions,
} from './interop-cases.js';
export { type ManagerLike, type NodeRequest, newSecretKey, nodeRequest } from './node-request.js';
export type {
  DjangoAction,
  DjangoAttempt,
  DjangoCookie,
  DjangoEngine,
  DjangoExpiry,
  DjangoFailure,
  DjangoLog,
  DjangoOp,
  DjangoOpResults,
  DjangoResponseView,
  DjangoResult,
  DjangoResults,
  DjangoSessionView,
  DjangoVersion,
  StoreChoice,
} from './ops.js';
export {
  describeKeyRotation,
  type KeyRotation,
  type RotationStore,
  type RotationStoreOptions,
} from './rotation-cases.js';
export {
  driveDjangoLogin,
  driveDjangoRoundTrip,
  driveNodeRoundTrip,
  INTEROP_SAMPLES,
  type SessionLike,
} from './round-trips.js';
export {
  type DjangoOptions,
  databaseSettings,
  djangoSettings,
} from './settings.js';
