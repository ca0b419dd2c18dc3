//! zlib compression of the PDF's streams, here or on a worker thread.
//!
//! Deflating was a third of the PDF's time, spent on one core while the
//! other idled: decoded images are deflated on a [`Worker`] while layout
//! goes on, each waiting on its own result ([`Pending`]), so what is
//! written never depends on timing. Content streams are deflated by
//! [`deflate`] on the writer's thread (see `document.rs`).

use std::cell::RefCell;
use std::sync::mpsc::{Receiver, Sender, channel};

use libdeflater::{CompressionLvl, Compressor};

thread_local! {
    /// One compressor per level on each thread: making one allocates its
    /// match finder's tables (hundreds of kilobytes, fresh pages to fault
    /// in), which cost more than compressing a page's content stream.
    static COMPRESSORS: RefCell<Vec<(u32, Compressor)>> = const { RefCell::new(Vec::new()) };
}

/// `data` zlib-compressed at libdeflate's `level` (1–12; 0 stores).
///
/// libdeflate rather than zlib: it compresses a whole buffer at once,
/// which is all the PDF needs, and does it faster and smaller. On the
/// corpus's content streams (4.9 MB) its level 1 makes 1.03 MB in 14 ms
/// where zlib-rs's level 2 made 1.06 MB in 33 ms.
pub fn deflate(data: &[u8], level: u32) -> Vec<u8> {
    let level = level.min(12);
    COMPRESSORS.with(|cell| {
        let mut compressors = cell.borrow_mut();
        let at = match compressors.iter().position(|(l, _)| *l == level) {
            Some(at) => at,
            None => {
                let lvl = CompressionLvl::new(level as i32).unwrap_or_default();
                compressors.push((level, Compressor::new(lvl)));
                compressors.len() - 1
            }
        };
        let (_, compressor) = &mut compressors[at];
        let mut out = vec![0; compressor.zlib_compress_bound(data.len())];
        // The bound is libdeflate's own worst case: compressing into it
        // cannot run out of room.
        let len = compressor.zlib_compress(data, &mut out).unwrap_or(0);
        out.truncate(len);
        out
    })
}

/// Compressed bytes, or the worker's promise of them.
pub enum Pending {
    Ready(Vec<u8>),
    Queued(Receiver<Vec<u8>>),
}

impl Pending {
    /// The compressed bytes, waiting for the worker if needed; `None` when
    /// the worker is gone (it only stops early when it panicked).
    pub fn wait(self) -> Option<Vec<u8>> {
        match self {
            Pending::Ready(bytes) => Some(bytes),
            Pending::Queued(rx) => rx.recv().ok(),
        }
    }

    /// A copy of the compressed bytes, waiting for them first (they are
    /// kept, ready, in `self`); `None` when the worker is gone.
    pub fn ready_copy(&mut self) -> Option<Vec<u8>> {
        if let Pending::Queued(rx) = self {
            *self = Pending::Ready(rx.recv().ok()?);
        }
        match self {
            Pending::Ready(bytes) => Some(bytes.clone()),
            Pending::Queued(_) => None,
        }
    }
}

/// One stream to compress, its level, and where the result goes.
type Job = (Vec<u8>, u32, Sender<Vec<u8>>);

/// A thread deflating streams in the order they are queued; started with
/// the first job, it ends when the worker is dropped and its queue done.
#[derive(Default)]
pub struct Worker {
    jobs: Option<Sender<Job>>,
}

impl Worker {
    /// Queues `data` for compression at `level` (compressed here when no
    /// thread can be started).
    pub fn deflate(&mut self, data: Vec<u8>, level: u32) -> Pending {
        if self.jobs.is_none() {
            self.jobs = start();
        }
        let (tx, rx) = channel();
        let Some(jobs) = &self.jobs else {
            return Pending::Ready(deflate(&data, level));
        };
        match jobs.send((data, level, tx)) {
            Ok(()) => Pending::Queued(rx),
            // The thread is gone: the job comes back with the error.
            Err(std::sync::mpsc::SendError((data, level, _))) => {
                Pending::Ready(deflate(&data, level))
            }
        }
    }
}

fn start() -> Option<Sender<Job>> {
    let (tx, rx) = channel::<Job>();
    std::thread::Builder::new()
        .name("folio-deflate".into())
        .spawn(move || {
            for (data, level, done) in rx {
                let packed = deflate(&data, level);
                drop(data);
                // Nobody waits for it after a failed build: nothing to do.
                let _ = done.send(packed);
            }
        })
        .ok()?;
    Some(tx)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn inflate(data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        flate2::read::ZlibDecoder::new(data)
            .read_to_end(&mut out)
            .unwrap();
        out
    }

    #[test]
    fn each_stream_gets_its_own_bytes_back_compressed() {
        let mut worker = Worker::default();
        let streams: Vec<Vec<u8>> = (0..6u8)
            .map(|i| (0..3000u32).map(|k| (k as u8).wrapping_mul(i)).collect())
            .collect();
        let pending: Vec<Pending> = streams
            .iter()
            .enumerate()
            .map(|(i, s)| worker.deflate(s.clone(), 2 + i as u32))
            .collect();
        drop(worker);
        for (p, stream) in pending.into_iter().zip(&streams) {
            let packed = p.wait().expect("compressed");
            assert_eq!(&inflate(&packed), stream);
        }
        // The same bytes as compressing here, whatever the thread's timing.
        let mut worker = Worker::default();
        let queued = worker.deflate(streams[3].clone(), 6).wait();
        assert_eq!(queued, Some(deflate(&streams[3], 6)));
    }
}
