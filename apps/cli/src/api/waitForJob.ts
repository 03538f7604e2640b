// `--wait`: follow a backup, restore or cleanup until it ends. Polls the job (its state is the
// truth) and reads its event feed for `<kind>_progress` events (bytes done and total), shown as
// a progress bar on a terminal. Ctrl-C stops the waiting, not the job: the agent carries on,
// and the message says how to stop it.
import type { CairnClient, FeedEvent } from "@cairn/api-client";
import type { Session } from "../cli/session.js";
import { createProgress } from "../io/progress.js";
import { isTerminal, type Job, type JobKind, PLURAL } from "../format/jobs.js";


/** Thrown when Ctrl-C ends the waiting. */
export class WaitInterrupted extends Error {
  override readonly name = "WaitInterrupted";
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new WaitInterrupted());
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new WaitInterrupted());
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Waits until the job is in a terminal state and returns it.
 * @throws {WaitInterrupted} on Ctrl-C; API errors as they come.
 */
export async function waitForJob(session: Session, client: CairnClient, kind: JobKind, first: Job, intervalMs = 500): Promise<Job> {
  const jobs = client[PLURAL[kind]];
  const signal = session.signal;
  const progress = createProgress(session.out, { files: false });
  let job = first;
  let marker: string | undefined;
  try {
    while (!isTerminal(job.state)) {
      await sleep(intervalMs, signal);
      const [next, events] = await Promise.all([jobs.get(job.id, { signal }), jobs.events(job.id, { sort_dir: "asc", limit: 100, ...(marker === undefined ? {} : { marker }) }, { signal })]);
      job = next;
      for (const e of events.items as FeedEvent[]) {
        marker = e.id;
        if (e.event !== `${kind}_progress`) continue;
        const done = Number(e.bytes_completed ?? 0);
        const total = Number(e.total_bytes ?? done + Number(e.bytes_remaining ?? 0));
        progress.update({ phase: kind, bytesDone: done, bytesTotal: total, filesDone: 0, filesTotal: 0 });
      }
    }
  } catch (error) {
    if (signal.aborted) throw new WaitInterrupted(`stopped waiting: the ${kind} ${job.id} goes on (\`cairn ${PLURAL[kind]} stop ${job.id}\` stops it)`);
    throw error;
  } finally {
    progress.stop();
  }
  return job;
}
