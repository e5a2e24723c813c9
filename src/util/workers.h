/*
 * workers: a few threads that run jobs handed to them, in the order given.
 *
 * The server runs the slow part of a request here (a POST may hash a
 * password or a code with Argon2id and commit durably), so that the other
 * connections of libmicrohttpd's event thread wait for none of it.
 */
#ifndef VD_WORKERS_H
#define VD_WORKERS_H

struct worker_job {
	void (*run)(void *arg);
	void *arg;
	struct worker_job *next; /* the queue's; the caller's memory, so queuing never fails */
};

struct workers;

/* Starts n (>= 1) threads; NULL if none could be started. */
struct workers *workers_start(unsigned n);

/* Queues job; it runs on one of the threads, which may be at once. The job
 * must stay valid until it has run. */
void workers_submit(struct workers *w, struct worker_job *job);

/* Runs every job queued so far, then ends the threads and frees w. */
void workers_stop(struct workers *w);

#endif
