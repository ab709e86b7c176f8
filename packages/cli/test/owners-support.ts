import type { SessionManager } from '@sess/core';

/**
 * Logs `owner` in `count` times through a real manager, as the app's login does (data, then
 * `setOwner`, then the commit), and returns the handles of those sessions, oldest first.
 */
export async function logIn(manager: SessionManager, owner: string, count: number): Promise<string[]> {
  const handles: string[] = [];
  for (let i = 0; i < count; i++) {
    // Distinct creation times (ms), so "oldest first" has one right answer.
    const previous = Date.now();
    while (Date.now() === previous) await new Promise((resolve) => setTimeout(resolve, 1));
    const request = manager.open();
    const session = await request.load();
    session.set('device', i);
    await session.setOwner(owner);
    await request.commit(200);
    if (session.handle === null) throw new Error('the session got no key');
    handles.push(session.handle);
  }
  return handles;
}

/** The handles of `owner`'s live sessions, as the app sees them. */
export async function handlesOf(manager: SessionManager, owner: string): Promise<string[]> {
  return (await manager.sessionsOf(owner)).map((s) => s.handle);
}
