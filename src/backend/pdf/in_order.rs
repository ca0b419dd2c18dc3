//! Jobs numbered `0..n` run on worker threads and on the consumer's own
//! while it waits, their results handed out in job order, never more of
//! them ahead of the consumer than a bounded weight (so memory does not
//! grow with the number of jobs). The PDF's chapters are laid out this
//! way: each on whichever thread is free, merged into the book in book
//! order.

use super::sync::lock;
use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Condvar, Mutex, MutexGuard};

/// A job panicked: a bug, reported as an error with the panic's message.
#[derive(Debug)]
pub struct Panicked {
    /// The job's number.
    pub job: usize,
    pub message: String,
}

/// Results waiting for the consumer, and which jobs are taken.
struct State<T> {
    /// The next job no worker has taken.
    next: usize,
    /// The next job the consumer wants.
    wanted: usize,
    /// Results waiting for the consumer, with their weights.
    done: BTreeMap<usize, (Result<T, Panicked>, usize)>,
    /// What the results waiting weigh together.
    held: usize,
    /// Set when the consumer is gone or a job panicked: no job is started.
    stop: bool,
}

/// How far the workers may run ahead of the consumer: `2 × threads` jobs
/// always (so a worker is never idle for long), and further, up to
/// [`MAX_AHEAD`] jobs per thread, while the results waiting weigh less than
/// `budget` by `weigh`. A count alone either held a worker back while the
/// consumer wrote a long chapter's pages (a core idle) or, set high, let
/// a book of long chapters hold many of them.
pub struct Ahead<W> {
    pub budget: usize,
    pub weigh: W,
}

/// Jobs per thread that may be ahead of the consumer however light.
const MAX_AHEAD: usize = 32;

/// What the workers and the consumer share.
struct Shared<T, W> {
    jobs: usize,
    /// Jobs taken and not yet consumed, always allowed.
    window: usize,
    /// Jobs taken and not yet consumed, at most.
    max_ahead: usize,
    ahead: Ahead<W>,
    state: Mutex<State<T>>,
    changed: Condvar,
}

impl<T, W> Shared<T, W> {
    fn wait<'a>(&self, guard: MutexGuard<'a, State<T>>) -> MutexGuard<'a, State<T>> {
        self.changed
            .wait(guard)
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn stop(&self) {
        lock(&self.state).stop = true;
        self.changed.notify_all();
    }
}

impl<T, W: Fn(&T) -> usize> Shared<T, W> {
    /// The next job for a worker, waiting while the window is full; `None`
    /// when there is none left or the work stopped.
    fn take(&self) -> Option<usize> {
        let mut state = lock(&self.state);
        loop {
            if state.stop || state.next >= self.jobs {
                return None;
            }
            if let Some(job) = self.try_take(&mut state) {
                return Some(job);
            }
            state = self.wait(state);
        }
    }

    /// The next job if the window allows it now.
    fn try_take(&self, state: &mut State<T>) -> Option<usize> {
        if state.stop || state.next >= self.jobs {
            return None;
        }
        let ahead = state.next - state.wanted;
        if ahead < self.window || (ahead < self.max_ahead && state.held < self.ahead.budget) {
            state.next += 1;
            return Some(state.next - 1);
        }
        None
    }

    fn put(&self, job: usize, result: Result<T, Panicked>) {
        let weight = result.as_ref().map_or(0, &self.ahead.weigh);
        let mut state = lock(&self.state);
        state.stop |= result.is_err();
        state.held = state.held.saturating_add(weight);
        state.done.insert(job, (result, weight));
        self.changed.notify_all();
    }
}

/// The results of the jobs, in job order (an `Err` for a job that
/// panicked, after which the work stops and the source ends).
pub struct InOrder<'s, T, W> {
    shared: &'s Shared<T, W>,
    /// Runs a job on the consumer's thread while it waits for a result (a
    /// core the waiting consumer would leave idle).
    help: &'s mut dyn FnMut(usize) -> Result<T, Panicked>,
}

impl<T, W: Fn(&T) -> usize> Iterator for InOrder<'_, T, W> {
    type Item = Result<T, Panicked>;

    fn next(&mut self) -> Option<Self::Item> {
        let shared = self.shared;
        let mut state = lock(&shared.state);
        loop {
            if state.wanted >= shared.jobs {
                return None;
            }
            let wanted = state.wanted;
            if let Some((result, weight)) = state.done.remove(&wanted) {
                state.wanted += 1;
                state.held = state.held.saturating_sub(weight);
                shared.changed.notify_all();
                return Some(result);
            }
            // Stopped, and the job wanted was never taken: none will come.
            if state.stop && wanted >= state.next {
                return None;
            }
            if let Some(job) = shared.try_take(&mut state) {
                drop(state);
                let result = (self.help)(job);
                shared.put(job, result);
                state = lock(&shared.state);
                continue;
            }
            state = shared.wait(state);
        }
    }
}

impl<T, W> Drop for InOrder<'_, T, W> {
    fn drop(&mut self) {
        self.shared.stop();
    }
}

/// The message of a panic's payload.
fn message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic".to_string())
}

/// Runs `work(state, job)` for jobs `0..jobs` on `threads` threads (each
/// with its own `state` from `init`): `threads - 1` workers, and this one
/// while `consume`, running over the results in job order, waits for the
/// next; no further ahead of the consumer than `ahead` allows. With one
/// thread (or no worker to be had) the jobs run on this thread as the
/// consumer asks for them.
pub fn run<S, T: Send, R, W: Fn(&T) -> usize + Sync>(
    jobs: usize,
    (threads, ahead): (usize, Ahead<W>),
    init: impl Fn() -> S + Sync,
    work: impl Fn(&mut S, usize) -> T + Sync,
    consume: impl FnOnce(&mut dyn Iterator<Item = Result<T, Panicked>>) -> R,
) -> R {
    let catch = |state: &mut S, job: usize| {
        catch_unwind(AssertUnwindSafe(|| work(state, job))).map_err(|e| Panicked {
            job,
            message: message(&*e),
        })
    };
    let threads = threads.min(jobs);
    if threads <= 1 {
        let mut state = init();
        let mut failed = false;
        let mut inline = (0..jobs).map_while(|job| {
            if failed {
                return None;
            }
            let result = catch(&mut state, job);
            failed = result.is_err();
            Some(result)
        });
        return consume(&mut inline);
    }
    let shared = Shared {
        jobs,
        window: 2 * threads,
        max_ahead: MAX_AHEAD * threads,
        ahead,
        state: Mutex::new(State {
            next: 0,
            wanted: 0,
            done: BTreeMap::new(),
            held: 0,
            stop: false,
        }),
        changed: Condvar::new(),
    };
    // The consumer's thread is one of the `threads`: it runs jobs while it
    // waits. A worker per core besides it had three threads (and the
    // writer's compression) share two cores: 11 % slower on the corpus.
    let mut own: Option<S> = None;
    let mut help = |job: usize| {
        let state = own.get_or_insert_with(&init);
        catch(state, job)
    };
    std::thread::scope(|scope| {
        for _ in 1..threads {
            let worker = || {
                let mut state = init();
                while let Some(job) = shared.take() {
                    shared.put(job, catch(&mut state, job));
                }
            };
            // The main thread's stack size: a deeply nested page needs
            // as much on a worker as it did before. A worker that cannot
            // be started leaves its jobs to the others and the consumer.
            let _ = std::thread::Builder::new()
                .name("folio-layout".into())
                .stack_size(STACK)
                .spawn_scoped(scope, worker);
        }
        // Dropped when the consumer is done, early (an error) or
        // unwinding: the workers are let go, and the scope can end.
        let mut source = InOrder {
            shared: &shared,
            help: &mut help,
        };
        consume(&mut source)
    })
}

/// Stack size of a worker thread (that of a program's main thread).
const STACK: usize = 8 << 20;

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// `threads` with no weight allowed ahead: the window only.
    fn window_only<T>(threads: usize) -> (usize, Ahead<impl Fn(&T) -> usize + Sync>) {
        (
            threads,
            Ahead {
                budget: 0,
                weigh: |_: &T| 1,
            },
        )
    }

    #[test]
    fn results_come_in_job_order_whatever_the_threads() {
        for threads in [1, 2, 3, 8] {
            let got: Vec<usize> = run(
                50,
                window_only(threads),
                || 0usize,
                |seen, job| {
                    *seen += 1;
                    // Later jobs finish sooner.
                    std::thread::sleep(std::time::Duration::from_micros((50 - job as u64) * 20));
                    job * job
                },
                |results| {
                    results
                        .map(|r| r.map_err(|e| e.job))
                        .collect::<Result<_, _>>()
                },
            )
            .unwrap();
            assert_eq!(
                got,
                (0..50).map(|j| j * j).collect::<Vec<_>>(),
                "{threads} threads"
            );
        }
    }

    /// How far the threads ran ahead (jobs taken, not consumed) of a
    /// consumer that waits a millisecond on each of 200 results.
    fn most_ahead(threads: (usize, Ahead<impl Fn(&usize) -> usize + Sync>)) -> usize {
        let started = AtomicUsize::new(0);
        run(
            200,
            threads,
            || (),
            |_, job| {
                started.fetch_add(1, Ordering::SeqCst);
                job
            },
            |results| {
                let mut most = 0;
                for (consumed, r) in results.enumerate() {
                    assert_eq!(r.unwrap(), consumed);
                    // Give the workers time to run ahead as far as they may.
                    std::thread::sleep(std::time::Duration::from_millis(1));
                    most = most.max(started.load(Ordering::SeqCst) - consumed);
                }
                most
            },
        )
    }

    /// [`most_ahead`] on two threads, each job weighing `weight(job)`
    /// against a budget of 100.
    fn weighing(weight: fn(usize) -> usize) -> usize {
        most_ahead((
            2,
            Ahead {
                budget: 100,
                weigh: move |&job: &usize| weight(job),
            },
        ))
    }

    #[test]
    fn no_more_than_the_window_is_laid_out_ahead() {
        let ahead = most_ahead(window_only(2));
        // Taken but not consumed: the window (4) plus the one just handed out.
        assert!(ahead <= 5, "{ahead} jobs ahead");
        assert!(ahead >= 2, "the workers never ran ahead ({ahead})");
    }

    #[test]
    fn light_results_let_the_workers_run_further_ahead_than_heavy_ones() {
        // Weightless results: as far as the job cap (32 a thread), no
        // further.
        let light = weighing(|_| 0);
        assert!(
            light > 4 * 2,
            "light results held the workers back ({light})"
        );
        assert!(light <= MAX_AHEAD * 2 + 1, "{light} jobs ahead");
        // Each result over the budget on its own: the window (4) only.
        let heavy = weighing(|_| 1000);
        assert!(heavy <= 5, "{heavy} heavy jobs ahead");
        // Ten a job: about ten waiting beyond the window, never many more.
        let middling = weighing(|_| 10);
        assert!(middling <= 10 + 2 + 1, "{middling} jobs of ten ahead");
        assert!(middling > 5, "the budget was not used ({middling})");
    }

    #[test]
    fn the_consumers_thread_runs_jobs_while_it_waits_and_is_one_of_the_threads() {
        // Each job takes a while: a consumer that only waited would see
        // every job run on a worker.
        let here = std::thread::current().id();
        for threads in [2, 3] {
            let ran: Vec<std::thread::ThreadId> = run(
                60,
                window_only(threads),
                || (),
                |_, _| {
                    std::thread::sleep(std::time::Duration::from_millis(2));
                    std::thread::current().id()
                },
                |results| results.map(Result::unwrap).collect(),
            );
            assert!(ran.contains(&here), "{threads} threads: none ran here");
            let others: std::collections::HashSet<_> = ran.iter().filter(|&&t| t != here).collect();
            assert!(!others.is_empty(), "{threads} threads: no worker ran a job");
            assert!(
                others.len() < threads,
                "{threads} threads: {} workers",
                others.len()
            );
        }
    }

    #[test]
    fn a_panicking_job_is_an_error_and_the_work_stops() {
        for threads in [1, 2] {
            let results: Vec<Result<usize, Panicked>> = run(
                1000,
                window_only(threads),
                || (),
                |_, job| {
                    if job == 3 {
                        panic!("job three broke");
                    }
                    job
                },
                |results| results.collect(),
            );
            let first_err = results.iter().position(|r| r.is_err()).unwrap();
            assert_eq!(first_err, 3, "{threads} threads");
            let err = results[3].as_ref().unwrap_err();
            assert_eq!((err.job, err.message.as_str()), (3, "job three broke"));
            assert!(results.len() < 1000, "the work went on after the panic");
        }
    }

    #[test]
    fn a_consumer_that_panics_lets_the_workers_go() {
        let caught = catch_unwind(|| {
            run(
                1000,
                window_only(2),
                || (),
                |_, job| job,
                |results| {
                    results.next();
                    panic!("the consumer broke");
                },
            )
        });
        assert!(caught.is_err());
    }

    #[test]
    fn a_consumer_that_stops_early_lets_the_workers_go() {
        let first: Option<usize> = run(
            1000,
            window_only(2),
            || (),
            |_, job| job,
            |results| results.next().and_then(Result::ok),
        );
        assert_eq!(first, Some(0));
    }
}
