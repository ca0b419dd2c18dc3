//! Decoded images are zlib-compressed on a worker thread while layout goes
//! on: deflating the pixels was a fifth of the corpus PDF's time, spent
//! after layout on one core while the other idled. One worker, started
//! with the first image that needs it, takes the images in the order they
//! were decoded; each image waits on its own result, so what is written
//! does not depend on timing.

use crate::backend::pdf::deflate::deflate;
use std::sync::mpsc::{Receiver, Sender, channel};

/// Deflate level of image samples: written once, and off the layout's
/// thread, so size wins over time (level 6, zlib's default).
const LEVEL: u32 = 6;

/// An image's samples and alpha plane, compressed.
pub struct Packed {
    pub samples: Vec<u8>,
    pub alpha: Option<Vec<u8>>,
}

/// Compressed samples, or the worker's promise of them.
pub enum Pending {
    Ready(Packed),
    Queued(Receiver<Packed>),
    /// Not compressed: the image is never written.
    Dropped,
}

impl Pending {
    /// The compressed samples, waiting for the worker if needed; `None`
    /// when they were dropped or the worker is gone (it only stops when it
    /// panicked).
    pub fn wait(self) -> Option<Packed> {
        match self {
            Pending::Ready(p) => Some(p),
            Pending::Queued(rx) => rx.recv().ok(),
            Pending::Dropped => None,
        }
    }
}

/// One image to compress, and where its result goes.
type Job = (Vec<u8>, Option<Vec<u8>>, Sender<Packed>);

/// The worker thread's queue; no thread until the first job.
#[derive(Default)]
pub struct Packer {
    jobs: Option<Sender<Job>>,
}

impl Packer {
    /// Compresses `samples` and `alpha` on the worker thread (here when
    /// the thread cannot be started).
    pub fn pack(&mut self, samples: Vec<u8>, alpha: Option<Vec<u8>>) -> Pending {
        if self.jobs.is_none() {
            self.jobs = start();
        }
        let (tx, rx) = channel();
        match &self.jobs {
            Some(jobs) => match jobs.send((samples, alpha, tx)) {
                Ok(()) => Pending::Queued(rx),
                // The worker is gone: the job comes back with the error.
                Err(std::sync::mpsc::SendError((samples, alpha, _))) => {
                    Pending::Ready(compress(&samples, alpha.as_deref()))
                }
            },
            None => Pending::Ready(compress(&samples, alpha.as_deref())),
        }
    }
}

/// Starts the worker; it ends when the [`Packer`] is dropped and its queue
/// is done.
fn start() -> Option<Sender<Job>> {
    let (tx, rx) = channel::<Job>();
    std::thread::Builder::new()
        .name("folio-pdf-images".into())
        .spawn(move || {
            for (samples, alpha, done) in rx {
                let packed = compress(&samples, alpha.as_deref());
                drop(samples);
                // The image's table may be gone (a failed build): nothing
                // waits for the result then.
                let _ = done.send(packed);
            }
        })
        .ok()?;
    Some(tx)
}

fn compress(samples: &[u8], alpha: Option<&[u8]>) -> Packed {
    Packed {
        samples: deflate(samples, LEVEL),
        alpha: alpha.map(|a| deflate(a, LEVEL)),
    }
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
    fn each_image_gets_its_own_samples_back_compressed() {
        let mut packer = Packer::default();
        let images: Vec<(Vec<u8>, Option<Vec<u8>>)> = (0..5u8)
            .map(|i| {
                let samples = (0..3000u32).map(|k| (k as u8).wrapping_mul(i)).collect();
                (samples, (i % 2 == 0).then(|| vec![i; 1000]))
            })
            .collect();
        let pending: Vec<Pending> = images
            .iter()
            .map(|(s, a)| packer.pack(s.clone(), a.clone()))
            .collect();
        drop(packer);
        for (p, (samples, alpha)) in pending.into_iter().zip(images) {
            let packed = p.wait().expect("compressed");
            assert_eq!(inflate(&packed.samples), samples);
            assert_eq!(packed.alpha.map(|a| inflate(&a)), alpha);
        }
    }
}
