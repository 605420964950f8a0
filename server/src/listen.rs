//! Accepting connections from the internet with bounds on what each costs.
//!
//! `axum::serve` keeps a connection for as long as the peer holds it open:
//! a client that opens sockets and never sends a request (or sends its
//! head one byte a minute) holds memory and a file descriptor each, without
//! limit. Here every connection must send its request head within
//! [`HEADER_READ_TIMEOUT`] (also when idle between keep-alive requests), at
//! most `max_open` are open at once (the rest wait in the kernel's listen
//! queue), and, when Pesan faces clients directly, at most `per_address`
//! come from one peer address (further ones are closed at once).
//!
//! A connection whose peer stops reading its responses (a large file
//! asked for, or requests pipelined, and never read) is cut off by
//! [`write_progress::WriteProgress`] after [`WRITE_STALL_LIMIT`], and hyper
//! buffers at most [`MAX_BUFFERED`] per direction, so what such peers hold
//! is bounded by time and by `max_open`. The kernel's send buffer of each
//! connection is fixed at [`SEND_BUFFER`] too: left to autotune, it grows
//! to megabytes for a peer that stops reading, and keeps them after the
//! connection is cut, until the unsent data times out.
//!
//! HTTP/1.1 only: browsers speak HTTP/2 only over TLS, which a reverse proxy
//! in front of Pesan terminates.

mod write_progress;

use axum::extract::ConnectInfo;
use axum::Router;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use std::collections::HashMap;
use std::future::Future;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

/// How long a connection may take to send a request's head, and how long
/// it may sit idle between requests.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a response may wait on a peer that reads less than
/// [`write_progress::MIN_PROGRESS`] of it.
pub const WRITE_STALL_LIMIT: Duration = Duration::from_secs(20);

/// What hyper buffers per connection, for reading and for writing (its
/// default is about 400 KiB each way). A request head must fit: 64 KiB is
/// far beyond any browser's.
const MAX_BUFFERED: usize = 64 * 1024;

/// The kernel send buffer asked for each connection (Linux doubles it for
/// its bookkeeping): at 256 KiB in flight a 200 ms round trip still moves
/// over 1 MB/s.
const SEND_BUFFER: usize = 128 * 1024;

/// How long open requests may take to finish once shutdown begins (a live
/// updates stream never finishes by itself).
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// Bounds on connections.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    /// Connections open at once.
    pub max_open: usize,
    /// Connections open at once from one peer address; `None` behind a
    /// reverse proxy, where every peer is the proxy.
    pub per_address: Option<usize>,
    pub header_read_timeout: Duration,
    /// How long a response may wait on a peer that does not read it.
    pub write_stall_limit: Duration,
}

/// How many connections each peer address has open, bounded by the
/// number of open connections.
#[derive(Debug, Default)]
struct PerAddress {
    open: Mutex<HashMap<IpAddr, usize>>,
}

/// One connection counted against its address until dropped.
struct AddressSlot {
    table: Arc<PerAddress>,
    ip: IpAddr,
}

/// The address a peer is counted under: its IPv4 address, or for IPv6 its
/// /64 (what one subscriber usually gets, as the sign-in throttle counts).
pub(crate) fn counted_as(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
    }
}

/// The process's soft limit on open files, from `/proc/self/limits`
/// (Linux); `None` elsewhere or when unlimited.
fn open_files_limit() -> Option<usize> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    line.split_whitespace().nth(3)?.parse().ok()
}

/// Files the server needs besides connections: the database, uploads,
/// logs, the extraction child's pipes.
const FILES_KEPT_FREE: usize = 128;

/// `wanted` connections, fewer if the open-files limit cannot hold them
/// (running out of descriptors makes every request fail, not just new
/// connections).
fn connections_within_files(wanted: usize) -> usize {
    match open_files_limit() {
        Some(limit) if limit.saturating_sub(FILES_KEPT_FREE) < wanted => {
            let fitted = limit.saturating_sub(FILES_KEPT_FREE).max(16);
            tracing::warn!(
                wanted,
                fitted,
                limit,
                "the open-files limit (ulimit -n) is too low for max_connections: fewer are accepted; raise the limit"
            );
            fitted
        }
        _ => wanted,
    }
}

impl PerAddress {
    fn take(self: &Arc<Self>, ip: IpAddr, limit: usize) -> Option<AddressSlot> {
        let ip = counted_as(ip);
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        let count = open.entry(ip).or_insert(0);
        if *count >= limit {
            return None;
        }
        *count += 1;
        Some(AddressSlot {
            table: Arc::clone(self),
            ip,
        })
    }
}

impl Drop for AddressSlot {
    fn drop(&mut self) {
        let mut open = self.table.open.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(count) = open.get_mut(&self.ip) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                open.remove(&self.ip);
            }
        }
    }
}

/// Serves `router` on `listener` until `shutdown` completes, then lets
/// open requests finish for a short grace period. Handlers see the peer's
/// address as `ConnectInfo<SocketAddr>`.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()>,
) {
    let open = Arc::new(Semaphore::new(connections_within_files(
        limits.max_open.max(1),
    )));
    let mut last_accept_warning: Option<std::time::Instant> = None;
    let addresses = Arc::new(PerAddress::default());
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            permit = Arc::clone(&open).acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors, or a connection reset before
                    // it was accepted: wait a little rather than spin, and
                    // say so at most once a second.
                    if last_accept_warning.is_none_or(|at| at.elapsed() >= Duration::from_secs(1)) {
                        tracing::warn!(%error, "cannot accept a connection");
                        last_accept_warning = Some(std::time::Instant::now());
                    }
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let slot = match limits.per_address {
            Some(limit) => match addresses.take(peer.ip(), limit) {
                Some(slot) => Some(slot),
                None => {
                    tracing::debug!(%peer, "refused a connection: too many from this address");
                    drop(stream);
                    continue;
                }
            },
            None => None,
        };
        let _ = stream.set_nodelay(true);
        let _ = socket2::SockRef::from(&stream).set_send_buffer_size(SEND_BUFFER);
        let router = router.clone();
        let service =
            hyper::service::service_fn(move |request: hyper::Request<hyper::body::Incoming>| {
                let mut request = request.map(axum::body::Body::new);
                request.extensions_mut().insert(ConnectInfo(peer));
                tower::ServiceExt::oneshot(router.clone(), request)
            });
        let mut builder = auto::Builder::new(TokioExecutor::new()).http1_only();
        builder
            .http1()
            .timer(TokioTimer::new())
            .header_read_timeout(limits.header_read_timeout)
            .max_buf_size(MAX_BUFFERED)
            .keep_alive(true);
        let stream = write_progress::WriteProgress::new(stream, limits.write_stall_limit);
        let connection = builder
            .serve_connection(TokioIo::new(stream), service)
            .into_owned();
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::debug!(%peer, error = %error, "connection ended with an error");
            }
            drop(slot);
            drop(permit);
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(SHUTDOWN_GRACE) => {
            tracing::info!("stopped with requests still open (live update streams)");
        }
    }
}

/// Limits from the configuration.
pub fn limits(config: &crate::config::Config) -> ConnectionLimits {
    ConnectionLimits {
        max_open: usize::try_from(config.max_connections).unwrap_or(usize::MAX),
        per_address: (!config.trust_forwarded_for)
            .then(|| usize::try_from(config.max_connections_per_address).unwrap_or(usize::MAX)),
        header_read_timeout: HEADER_READ_TIMEOUT,
        write_stall_limit: WRITE_STALL_LIMIT,
    }
}

#[cfg(test)]
mod tests {
    use super::PerAddress;
    use std::sync::Arc;

    #[test]
    fn an_address_gets_its_slots_back_as_connections_close() {
        let table = Arc::new(PerAddress::default());
        let ip = "203.0.113.9".parse().expect("ip");
        let other = "198.51.100.1".parse().expect("ip");
        let first = table.take(ip, 2).expect("first");
        let second = table.take(ip, 2).expect("second");
        assert!(table.take(ip, 2).is_none(), "a third is refused");
        assert!(table.take(other, 2).is_some(), "others are not");
        drop(first);
        let third = table.take(ip, 2).expect("a slot came back");
        drop((second, third));
        assert!(
            table.open.lock().expect("lock").is_empty(),
            "closed addresses are forgotten"
        );
    }

    #[test]
    fn one_ipv6_subscriber_counts_as_one_address() {
        let table = Arc::new(PerAddress::default());
        let a = "2001:db8:1:2::1".parse().expect("ip");
        let b = "2001:db8:1:2:ffff::9".parse().expect("ip");
        let elsewhere = "2001:db8:1:3::1".parse().expect("ip");
        let _first = table.take(a, 1).expect("first");
        assert!(table.take(b, 1).is_none(), "same /64");
        assert!(table.take(elsewhere, 1).is_some(), "another /64");
    }
}
