import { isSessionError } from '@sess/core';
import { HttpError } from './form.js';
import type { SiteInfo } from './pages.js';
import { problem, type SiteResponse } from './views.js';

/**
 * The page for an error a view or the session commit threw: the request's own fault (bad form: its
 * status), a session deleted by a concurrent request (400, as Django), a store that does not answer
 * (503), anything else (500, logged).
 */
export function errorResponse(error: unknown, info: SiteInfo): SiteResponse {
  if (error instanceof HttpError) return problem(error.status, info, 'Request refused', error.message);
  if (isSessionError(error) && error.code === 'SESSION_INTERRUPTED') {
    return problem(400, info, 'Session ended', 'Your session ended in another request. Please try again.');
  }
  if (isSessionError(error) && (error.code === 'STORE_UNAVAILABLE' || error.code === 'STORE_TIMEOUT')) {
    console.error('locallibrary: session store failure:', error.message);
    return problem(503, info, 'Unavailable', 'The session store is not answering. Please try again shortly.');
  }
  console.error('locallibrary: unexpected error:', error);
  return problem(500, info, 'Server error', 'Something went wrong on our side.');
}
