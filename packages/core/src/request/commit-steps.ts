import type { SessionContents } from '../session/session-contents.js';
import type { SessionDelta } from '../store/contract.js';
import type { CommitStep } from './commit-decision.js';
import {
  type CommitAction,
  type CommitResult,
  type CookieOverrides,
  cookieOutcome,
  outcome,
} from './commit-result.js';
import type { ManagerCore } from './manager-core.js';
import { cycle, persist, type RecordState, touch, type Written } from './record-writes.js';

/** What carrying out a commit step needs from the request. */
export interface StepContext {
  core: ManagerCore;
  record: RecordState;
  contents: SessionContents;
  /** The per-key changes the decision saw (computed once per commit). */
  delta: SessionDelta | undefined;
  now: number;
  /** Whether the data was read (drives `Vary: Cookie`). */
  accessed: boolean;
  /** The response's cookie context: the request's protocol and its cookie overrides. */
  cookie: { secure: boolean | undefined; cookie: CookieOverrides | undefined };
}

/** Carries out the step `decideCommit` chose, and gives the headers it implies. */
export async function runCommitStep(step: CommitStep, context: StepContext): Promise<CommitResult> {
  const { core, record, contents, now, accessed } = context;
  switch (step) {
    case 'delete': {
      const cookies = core.backend.clear(record.opened);
      return cookieOutcome(core, context.cookie, 'delete', true, cookies, { maxAge: null, now: 0 });
    }
    case 'rotate':
      return written(context, 'rotate', await cycle(core, record, contents, now, core.policy.rotationGrace));
    case 'save':
      return written(
        context,
        'save',
        await persist(core, record, contents, { delta: context.delta, now, final: true }),
      );
    case 'resend':
      return written(context, 'save', record.owed as Written);
    case 'touch':
      return written(context, 'touch', await touch(core, record, contents, now));
    default:
      return outcome(core, step, accessed);
  }
}

/** The headers of a step that wrote the record: its cookies, with the lifetime it was written with. */
function written(context: StepContext, action: CommitAction, write: Written): CommitResult {
  return cookieOutcome(context.core, context.cookie, action, context.accessed, write.cookies, write);
}
