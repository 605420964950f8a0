//! The accept loop against raw sockets: silent and slow clients are cut
//! off, one address cannot hold every connection, and a well-behaved client
//! is served (with its address visible to handlers).

use axum::extract::ConnectInfo;
use axum::routing::get;
use axum::Router;
use pesan_server::listen::{serve, ConnectionLimits};
use std::net::SocketAddr;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// How long a test waits for the server to do what it must before
/// failing (far above the limits under test, so a slow machine passes).
const PATIENCE: Duration = Duration::from_secs(10);

/// The size of `/big`, far more than socket buffers hold.
const BIG: usize = 4 << 20;

async fn start(limits: ConnectionLimits) -> (SocketAddr, tokio::sync::oneshot::Sender<()>) {
    let router = Router::new()
        .route(
            "/",
            get(|ConnectInfo(peer): ConnectInfo<SocketAddr>| async move { peer.ip().to_string() }),
        )
        .route("/big", get(|| async { vec![b'x'; BIG] }));
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(serve(listener, router, limits, async move {
        let _ = stopped.await;
    }));
    (address, stop)
}

/// Reads until the server closes the connection; what it sent.
async fn read_until_closed(stream: &mut TcpStream) -> String {
    let mut seen = Vec::new();
    let read = tokio::time::timeout(PATIENCE, async {
        let mut buffer = [0u8; 4096];
        loop {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(n) => seen.extend_from_slice(&buffer[..n]),
            }
        }
    })
    .await;
    assert!(read.is_ok(), "the server kept the connection open");
    String::from_utf8_lossy(&seen).into_owned()
}

async fn get_root(address: SocketAddr) -> String {
    let mut stream = TcpStream::connect(address).await.expect("connect");
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .expect("write");
    read_until_closed(&mut stream).await
}

#[tokio::test]
async fn a_client_that_never_finishes_its_request_head_is_cut_off() {
    let (address, _stop) = start(ConnectionLimits {
        max_open: 16,
        per_address: Some(16),
        header_read_timeout: Duration::from_millis(300),
        write_stall_limit: Duration::from_secs(30),
    })
    .await;
    let mut silent = TcpStream::connect(address).await.expect("connect");
    let mut slow = TcpStream::connect(address).await.expect("connect");
    slow.write_all(b"GET / HTTP/1.1\r\nHost:")
        .await
        .expect("write");
    read_until_closed(&mut silent).await;
    read_until_closed(&mut slow).await;
    // An idle keep-alive connection is closed the same way.
    let mut idle = TcpStream::connect(address).await.expect("connect");
    idle.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .expect("write");
    let answered = read_until_closed(&mut idle).await;
    assert!(answered.starts_with("HTTP/1.1 200"), "{answered}");
    assert!(answered.ends_with("127.0.0.1"), "{answered}");
}

#[tokio::test]
async fn one_address_cannot_hold_every_connection() {
    let (address, _stop) = start(ConnectionLimits {
        max_open: 16,
        per_address: Some(2),
        header_read_timeout: Duration::from_secs(30),
        write_stall_limit: Duration::from_secs(30),
    })
    .await;
    let first = TcpStream::connect(address).await.expect("connect");
    let _second = TcpStream::connect(address).await.expect("connect");
    // Give the accept loop time to count both before the third arrives.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut third = TcpStream::connect(address).await.expect("connect");
    let _ = third.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").await;
    assert_eq!(
        read_until_closed(&mut third).await,
        "",
        "refused unanswered"
    );
    drop(first);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let answer = get_root(address).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

#[tokio::test]
async fn past_the_cap_clients_wait_for_a_free_connection_instead_of_failing() {
    let (address, _stop) = start(ConnectionLimits {
        max_open: 1,
        per_address: None,
        header_read_timeout: Duration::from_secs(30),
        write_stall_limit: Duration::from_secs(30),
    })
    .await;
    let holder = TcpStream::connect(address).await.expect("connect");
    tokio::time::sleep(Duration::from_millis(200)).await;
    let waiting = tokio::spawn(get_root(address));
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        !waiting.is_finished(),
        "served while the only slot was taken"
    );
    drop(holder);
    let answer = tokio::time::timeout(PATIENCE, waiting)
        .await
        .expect("served once the slot freed")
        .expect("task");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

#[tokio::test]
async fn a_client_that_stops_reading_its_responses_is_cut_off() {
    let (address, _stop) = start(ConnectionLimits {
        max_open: 1,
        per_address: None,
        header_read_timeout: Duration::from_secs(30),
        write_stall_limit: Duration::from_millis(300),
    })
    .await;
    // Many large responses asked for at once, none read.
    let mut greedy = TcpStream::connect(address).await.expect("connect");
    let requests = b"GET /big HTTP/1.1\r\nHost: x\r\n\r\n".repeat(10);
    greedy.write_all(&requests).await.expect("write");
    tokio::time::sleep(Duration::from_millis(200)).await;
    // The only slot is held until the greedy client is cut off; then the
    // next client is served.
    let waiting = tokio::spawn(get_root(address));
    let answer = tokio::time::timeout(PATIENCE, waiting)
        .await
        .expect("served once the stalled connection was cut off")
        .expect("task");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let received = read_until_closed(&mut greedy).await.len();
    assert!(
        received < 10 * BIG,
        "cut off before everything went out, got {received} bytes"
    );
}
