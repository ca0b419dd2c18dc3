//! Work spread over the cores, results in input order: pages read, parsed,
//! resolved and written as text independently, and whoever merges their
//! results (warnings included) takes them back in page order, so the
//! output is the same bytes on one core or many.

use std::cell::Cell;
use std::sync::Mutex;

/// Below this many items the work stays on the calling thread: a thread
/// costs more to start than a few pages take.
const MIN_ITEMS: usize = 16;

/// More threads than this buy nothing for page-sized work.
const MAX_THREADS: usize = 8;

thread_local! {
    /// A thread count forced on this thread's calls (see [`with_threads`]).
    static FORCED: Cell<Option<usize>> = const { Cell::new(None) };
}

/// What `run` returns on each of two threads started together: the tests
/// of caches shared by the layout threads race two of them this way.
#[cfg(test)]
pub fn on_two_threads<T: Send>(run: impl Fn() -> T + Sync) -> (T, T) {
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(&run);
        let b = s.spawn(&run);
        (a.join(), b.join())
    });
    let (Ok(a), Ok(b)) = (a, b) else {
        panic!("a thread panicked");
    };
    (a, b)
}

/// Runs `f` with every [`par_map`] and [`par_map_mut`] it makes on this
/// thread using exactly `threads` threads (1: all on this thread), however
/// few the items: the tests compare a one-thread load with a parallel one.
#[cfg(test)]
pub fn with_threads<T>(threads: usize, f: impl FnOnce() -> T) -> T {
    let before = FORCED.with(|c| c.replace(Some(threads.max(1))));
    // Restored on unwind too, so that a failing test leaves no trace.
    struct Restore(Option<usize>);
    impl Drop for Restore {
        fn drop(&mut self) {
            FORCED.with(|c| c.set(self.0));
        }
    }
    let _restore = Restore(before);
    f()
}

/// How many threads a call over `len` items uses.
fn threads_for(len: usize) -> usize {
    let threads = match FORCED.with(Cell::get) {
        Some(n) => n,
        None if len < MIN_ITEMS => 1,
        None => std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(MAX_THREADS),
    };
    threads.min(len).max(1)
}

/// `f` over `items` on up to as many threads as there are cores, results in
/// the order of `items`. Small inputs stay on the calling thread.
pub fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = threads_for(items.len());
    if threads < 2 {
        return items.iter().map(&f).collect();
    }
    let size = share_size(items.len(), threads);
    spread(items.chunks(size), threads, items.len(), |part| {
        part.iter().map(&f).collect()
    })
}

/// [`par_map`] with each item borrowed mutably: passes that rewrite each
/// page on its own (and return its warnings) run on every core.
pub fn par_map_mut<T: Send, R: Send>(items: &mut [T], f: impl Fn(&mut T) -> R + Sync) -> Vec<R> {
    let threads = threads_for(items.len());
    if threads < 2 {
        return items.iter_mut().map(&f).collect();
    }
    let (len, size) = (items.len(), share_size(items.len(), threads));
    spread(items.chunks_mut(size), threads, len, |part| {
        part.iter_mut().map(&f).collect()
    })
}

/// Items per share: several shares per thread, so that a thread whose
/// pages are long does not leave the others waiting at the end.
fn share_size(len: usize, threads: usize) -> usize {
    len.div_ceil(threads * 4).max(1)
}

/// `work` on each of `shares` (slices of `len` items in all), taken in turn
/// by `threads` threads (the calling one too) as each finishes its last;
/// the results put back in the order of the shares.
fn spread<S: Send, R: Send>(
    shares: impl Iterator<Item = S> + Send,
    threads: usize,
    len: usize,
    work: impl Fn(S) -> Vec<R> + Sync,
) -> Vec<R> {
    let queue = Mutex::new(shares.enumerate());
    let run = || {
        let mut done: Vec<(usize, Vec<R>)> = Vec::new();
        loop {
            // A poisoned lock means a worker panicked: that panic is
            // re-raised by `join`; the others stop taking work.
            let next = match queue.lock() {
                Ok(mut shares) => shares.next(),
                Err(_) => None,
            };
            let Some((n, share)) = next else {
                return done;
            };
            done.push((n, work(share)));
        }
    };
    let mut parts = std::thread::scope(|scope| {
        let handles: Vec<_> = (1..threads).map(|_| scope.spawn(run)).collect();
        let mut parts = run();
        for handle in handles {
            parts.extend(join(handle));
        }
        parts
    });
    parts.sort_unstable_by_key(|(n, _)| *n);
    let mut out = Vec::with_capacity(len);
    for (_, results) in parts {
        out.extend(results);
    }
    out
}

/// A worker's results; a panicking worker is a bug, re-raised here.
fn join<R>(handle: std::thread::ScopedJoinHandle<'_, R>) -> R {
    handle
        .join()
        .unwrap_or_else(|e| std::panic::resume_unwind(e))
}

/// Drops `what` on a thread of its own: freeing a book's model or a
/// layout's tables is work nothing needs to wait for (a process that ends
/// first takes them with it). When no thread can be started, `spawn`
/// drops the closure, and `what` with it, here.
pub fn drop_later<T: Send + 'static>(what: T) {
    let _ = std::thread::Builder::new()
        .name("folio-drop".into())
        .spawn(move || drop(what));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_the_input_order_on_any_thread_count() {
        let items: Vec<u32> = (0..103).collect();
        let want: Vec<u64> = items.iter().map(|&i| u64::from(i) * 3).collect();
        for threads in [1, 2, 3, 8] {
            let got = with_threads(threads, || par_map(&items, |&i| u64::from(i) * 3));
            assert_eq!(got, want, "{threads} threads");
            let mut copy = items.clone();
            let got = with_threads(threads, || {
                par_map_mut(&mut copy, |i| {
                    *i += 1;
                    u64::from(*i)
                })
            });
            assert_eq!(got, (1..104).collect::<Vec<u64>>(), "{threads} threads");
            assert_eq!(copy, (1..104).collect::<Vec<u32>>());
        }
    }

    #[test]
    fn forced_threads_really_spread_the_work_and_are_restored() {
        // Each item waits (5 s at most) until three are being worked on:
        // that happens only when three threads take one each.
        let working = std::sync::atomic::AtomicUsize::new(0);
        let items: Vec<u32> = (0..3).collect();
        let ids = with_threads(3, || {
            par_map(&items, |_| {
                working.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
                while working.load(std::sync::atomic::Ordering::SeqCst) < 3
                    && std::time::Instant::now() < deadline
                {
                    std::thread::yield_now();
                }
                std::thread::current().id()
            })
        });
        let distinct: std::collections::HashSet<_> = ids.iter().collect();
        assert_eq!(distinct.len(), 3, "three items on three threads");
        assert!(ids.contains(&std::thread::current().id()), "one here");
        let items: Vec<u32> = (0..6).collect();
        // Outside `with_threads`, six items stay on this thread.
        let ids = par_map(&items, |_| std::thread::current().id());
        assert!(ids.iter().all(|id| *id == std::thread::current().id()));
        assert!(par_map(&[] as &[u32], |&i| i).is_empty());
    }
}
