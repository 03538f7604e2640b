// Exit codes, as restic users expect them: 0 when everything worked, 3 when a backup finished
// but could not read some files (the snapshot exists and says so), 1 for any failure, 2 for a
// command line that does not parse. Scripts branch on these, so they are part of the interface.
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
export const EXIT_INCOMPLETE = 3;
/** 128 + SIGINT, what shells report for a process stopped with Ctrl-C. */
export const EXIT_INTERRUPTED = 130;
