//! Work spread over the cores, results in input order: pages read, parsed,
//! resolved and written as text independently, and whoever merges their
//! results (warnings included) takes them back in page order, so the
//! output is the same bytes on one core or many.

use std::cell::Cell;

/// Below this many items the work stays on the calling thread: a thread
/// costs more to start than a few pages take.
const MIN_ITEMS: usize = 16;

/// More threads than this buy nothing for page-sized work.
const MAX_THREADS: usize = 8;

thread_local! {
    /// A thread count forced on this thread's calls (see [`with_threads`]).
    static FORCED: Cell<Option<usize>> = const { Cell::new(None) };
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
    let chunk = items.len().div_ceil(threads);
    let mut parts = items.chunks(chunk);
    let first = parts.next().unwrap_or_default();
    std::thread::scope(|scope| {
        let handles: Vec<_> = parts
            .map(|part| scope.spawn(|| part.iter().map(&f).collect::<Vec<R>>()))
            .collect();
        // The calling thread takes the first share instead of waiting idle.
        let mut out: Vec<R> = Vec::with_capacity(items.len());
        out.extend(first.iter().map(&f));
        for handle in handles {
            out.extend(join(handle));
        }
        out
    })
}

/// [`par_map`] with each item borrowed mutably: passes that rewrite each
/// page on its own (and return its warnings) run on every core.
pub fn par_map_mut<T: Send, R: Send>(items: &mut [T], f: impl Fn(&mut T) -> R + Sync) -> Vec<R> {
    let threads = threads_for(items.len());
    if threads < 2 {
        return items.iter_mut().map(&f).collect();
    }
    let len = items.len();
    let chunk = len.div_ceil(threads);
    let mut parts = items.chunks_mut(chunk);
    let first = parts.next().unwrap_or_default();
    std::thread::scope(|scope| {
        let f = &f;
        let handles: Vec<_> = parts
            .map(|part| scope.spawn(move || part.iter_mut().map(f).collect::<Vec<R>>()))
            .collect();
        let mut out: Vec<R> = Vec::with_capacity(len);
        out.extend(first.iter_mut().map(f));
        for handle in handles {
            out.extend(join(handle));
        }
        out
    })
}

/// A worker's results; a panicking worker is a bug, re-raised here.
fn join<R>(handle: std::thread::ScopedJoinHandle<'_, Vec<R>>) -> Vec<R> {
    handle
        .join()
        .unwrap_or_else(|e| std::panic::resume_unwind(e))
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
        let items: Vec<u32> = (0..6).collect();
        let ids = with_threads(3, || par_map(&items, |_| std::thread::current().id()));
        let distinct: std::collections::HashSet<_> = ids.iter().collect();
        assert_eq!(distinct.len(), 3, "three chunks on three threads");
        assert_eq!(ids[0], std::thread::current().id(), "first chunk here");
        // Outside `with_threads`, six items stay on this thread.
        let ids = par_map(&items, |_| std::thread::current().id());
        assert!(ids.iter().all(|id| *id == std::thread::current().id()));
        assert!(par_map(&[] as &[u32], |&i| i).is_empty());
    }
}
