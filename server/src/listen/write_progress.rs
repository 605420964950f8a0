//! Cutting off peers that stop reading what they asked for.
//!
//! A client can ask for a large file (or pipeline many requests) and never
//! read the answers: the kernel's send buffer fills, every write waits, and
//! without a bound the connection holds its slot, its buffers and a file
//! descriptor for ever. [`WriteProgress`] wraps a connection's socket: once a
//! write has to wait for the peer, at least [`MIN_PROGRESS`] bytes must go out
//! within the stall limit, or the connection fails with `TimedOut`. Waiting
//! ends (and the clock stops) when everything buffered has been handed to the
//! kernel, so an idle live-updates stream is never cut for being quiet.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::{Instant, Sleep};

/// Bytes a waiting connection must get out within the stall limit: a phone
/// on a poor mobile link reads far faster, a client that reads nothing (or
/// a byte now and then to stay alive) does not.
pub const MIN_PROGRESS: usize = 16 * 1024;

/// A socket whose writes must keep making progress.
pub struct WriteProgress<S> {
    inner: S,
    stall_limit: Duration,
    /// Bytes written since writes began waiting for the peer; `None` while
    /// the peer keeps up.
    waiting: Option<usize>,
    deadline: Pin<Box<Sleep>>,
}

impl<S> WriteProgress<S> {
    pub fn new(inner: S, stall_limit: Duration) -> Self {
        Self {
            inner,
            stall_limit,
            waiting: None,
            deadline: Box::pin(tokio::time::sleep(stall_limit)),
        }
    }

    fn wrote(&mut self, bytes: usize) {
        if let Some(written) = &mut self.waiting {
            *written += bytes;
            if *written >= MIN_PROGRESS {
                self.waiting = None;
            }
        }
    }

    /// A write had to wait: starts the clock if it is not running, and
    /// fails the write once the limit has passed without enough progress.
    fn stalled(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
        if self.waiting.is_none() {
            self.waiting = Some(0);
            let at = Instant::now() + self.stall_limit;
            self.deadline.as_mut().reset(at);
        }
        match self.deadline.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the peer stopped reading its responses",
            ))),
            Poll::Pending => Poll::Pending,
        }
    }

    fn after_write(
        &mut self,
        cx: &mut Context<'_>,
        result: Poll<io::Result<usize>>,
    ) -> Poll<io::Result<usize>> {
        match result {
            Poll::Ready(Ok(bytes)) => {
                self.wrote(bytes);
                Poll::Ready(Ok(bytes))
            }
            Poll::Ready(Err(error)) => Poll::Ready(Err(error)),
            Poll::Pending => self.stalled(cx),
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for WriteProgress<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for WriteProgress<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let result = Pin::new(&mut self.inner).poll_write(cx, buf);
        self.after_write(cx, result)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let result = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        self.after_write(cx, result)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    /// hyper flushes once everything it buffered has been written: the
    /// peer has caught up, so the clock stops.
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let flushed = Pin::new(&mut self.inner).poll_flush(cx);
        if let Poll::Ready(Ok(())) = flushed {
            self.waiting = None;
        }
        flushed
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    //! Real time with short limits (paused time needs tokio's test-util,
    //! which would rebuild every tokio dependant for tests).
    use super::WriteProgress;
    use std::time::Duration;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    /// A pipe whose far end reads `read_per_tick` bytes every tick; what the
    /// writer's `write_all` of `total` bytes returned.
    async fn write_through(
        stall_limit: Duration,
        total: usize,
        read_per_tick: usize,
        tick: Duration,
    ) -> std::io::Result<()> {
        let (near, mut far) = tokio::io::duplex(4096);
        let mut guarded = WriteProgress::new(near, stall_limit);
        let reader = tokio::spawn(async move {
            let mut buffer = vec![0u8; read_per_tick.max(1)];
            loop {
                tokio::time::sleep(tick).await;
                if read_per_tick == 0 {
                    continue;
                }
                match far.read(&mut buffer).await {
                    Ok(0) | Err(_) => break,
                    Ok(_) => {}
                }
            }
        });
        let result = guarded.write_all(&vec![7u8; total]).await;
        reader.abort();
        result
    }

    #[tokio::test]
    async fn a_peer_that_reads_nothing_is_cut_off() {
        let error = write_through(
            Duration::from_millis(200),
            1 << 20,
            0,
            Duration::from_millis(10),
        )
        .await
        .expect_err("cut off");
        assert_eq!(error.kind(), std::io::ErrorKind::TimedOut);
    }

    #[tokio::test]
    async fn a_peer_that_trickles_is_cut_off() {
        // 100 bytes every 50 ms: far below MIN_PROGRESS in 300 ms.
        let error = write_through(
            Duration::from_millis(300),
            1 << 20,
            100,
            Duration::from_millis(50),
        )
        .await
        .expect_err("cut off");
        assert_eq!(error.kind(), std::io::ErrorKind::TimedOut);
    }

    #[tokio::test]
    async fn a_slow_but_steady_peer_gets_everything() {
        // 4 KiB every 10 ms against MIN_PROGRESS per second: a wide margin
        // for a loaded machine, and every byte arrives.
        write_through(
            Duration::from_secs(1),
            256 * 1024,
            4096,
            Duration::from_millis(10),
        )
        .await
        .expect("written");
    }

    #[tokio::test]
    async fn quiet_time_after_a_catch_up_does_not_count() {
        let limit = Duration::from_millis(400);
        let (near, mut far) = tokio::io::duplex(64);
        let mut guarded = WriteProgress::new(near, limit);
        // The peer is slow for a moment, then catches up.
        let first = tokio::spawn(async move {
            guarded.write_all(&[1u8; 128]).await.expect("written");
            guarded.flush().await.expect("flushed");
            guarded
        });
        let mut buffer = [0u8; 128];
        tokio::time::sleep(Duration::from_millis(100)).await;
        far.read_exact(&mut buffer).await.expect("read");
        let mut guarded = first.await.expect("task");
        // A quiet time far past the limit (a live-updates stream with
        // nothing to say), then a write that waits a little: not cut off.
        tokio::time::sleep(limit * 3).await;
        let second = tokio::spawn(async move {
            guarded.write_all(&[2u8; 128]).await.expect("written");
        });
        tokio::time::sleep(Duration::from_millis(100)).await;
        far.read_exact(&mut buffer).await.expect("read");
        second.await.expect("not cut off");
    }
}
