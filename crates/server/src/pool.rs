//! The screening pool: the threads that run the matching engine, and the bounded
//! queue in front of them.
//!
//! HTTP is served on the async runtime's threads; matching (tens of microseconds a
//! query, milliseconds for a batch) runs here. Keeping the two apart makes the queue
//! explicit: under a burst, requests are still read and parsed promptly, and a job
//! that would join a full queue is refused at once with 503 instead of waiting behind
//! every other. A job already queued always runs to the end, even if its request has
//! timed out, so the queue length always reflects the work the threads still have.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use crate::error::ApiError;

pub struct ScreeningPool {
    pool: Option<rayon::ThreadPool>,
    queued: Arc<AtomicUsize>,
    max_queued: usize,
}

/// Decrements the queue length when a job ends, however it ends.
struct Slot(Arc<AtomicUsize>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl ScreeningPool {
    /// `threads` 0: one per core.
    pub fn new(threads: usize, max_queued: usize) -> ScreeningPool {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .thread_name(|i| format!("redline-screen-{i}"))
            .build()
            .map_err(
                |e| tracing::error!(error = %e, "cannot start screening threads; screening inline"),
            )
            .ok();
        ScreeningPool {
            pool,
            queued: Arc::new(AtomicUsize::new(0)),
            max_queued: max_queued.max(1),
        }
    }

    /// Jobs waiting or running.
    pub fn queued(&self) -> usize {
        self.queued.load(Ordering::Acquire)
    }

    /// Runs `job` on a screening thread, or refuses it at once if the queue is full.
    pub async fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, ApiError> {
        let before = self.queued.fetch_add(1, Ordering::AcqRel);
        let slot = Slot(self.queued.clone());
        if before >= self.max_queued {
            drop(slot);
            return Err(ApiError::unavailable(
                "overloaded",
                format!(
                    "{before} screening jobs are queued (max_queued {}); retry after the Retry-After delay",
                    self.max_queued
                ),
            ));
        }
        let Some(pool) = &self.pool else {
            let out = job();
            drop(slot);
            return Ok(out);
        };
        let (tx, rx) = tokio::sync::oneshot::channel();
        pool.spawn(move || {
            let out = job();
            drop(slot);
            // The request may have gone (timeout, client closed): nothing to tell.
            let _ = tx.send(out);
        });
        rx.await
            .map_err(|_| ApiError::internal("a screening job ended without a result"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_full_queue_refuses_at_once_and_frees_as_jobs_end() {
        let pool = Arc::new(ScreeningPool::new(1, 2));
        let (release, wait) = std::sync::mpsc::channel::<()>();
        let wait = Arc::new(std::sync::Mutex::new(wait));
        // Two jobs fill the queue: one runs (blocked), one waits behind it.
        let mut held = Vec::new();
        for i in 0..2 {
            let (pool, wait) = (pool.clone(), wait.clone());
            held.push(tokio::spawn(async move {
                pool.run(move || {
                    let _ = wait.lock().unwrap().recv();
                    i
                })
                .await
            }));
        }
        while pool.queued() < 2 {
            tokio::task::yield_now().await;
        }
        let refused = pool.run(|| 99).await.unwrap_err();
        assert_eq!(refused.code, "overloaded");
        assert_eq!(refused.retry_after, Some(1));
        assert_eq!(pool.queued(), 2, "a refused job leaves the queue as it was");
        release.send(()).unwrap();
        release.send(()).unwrap();
        let mut done: Vec<i32> = Vec::new();
        for h in held {
            done.push(h.await.unwrap().unwrap());
        }
        done.sort();
        assert_eq!(done, vec![0, 1]);
        assert_eq!(pool.queued(), 0);
        assert_eq!(pool.run(|| 7).await.unwrap(), 7);
    }
}
