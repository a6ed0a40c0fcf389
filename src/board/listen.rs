//! The board's connections: TLS (when given a certificate), timeouts, a cap, and a graceful
//! stop (`specs/record.md` §13.5).
//!
//! ```text
//! accept      at most `max_connections` at once; at the cap the oldest idle connection is
//!             closed to make room (idle: no request in progress, including one that has
//!             connected and sent nothing), else the next connection waits in the backlog
//! TLS         handshake within `handshake_timeout`
//! head        the request head within `header_timeout` of the connection being idle (new, or
//!             after its last response): slow or silent clients are closed
//! body        within `body_timeout` (the router's guard, `super::guard`)
//! stop        no new connections; idle ones close; requests in flight finish (at most
//!             `drain_timeout`)
//! ```

use std::collections::BTreeMap;
use std::future::Future;
use std::path::Path;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::Request;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore, watch};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls;
use tower_service::Service;

/// The largest request head hyper buffers; heads up to this size get the guard's JSON
/// errors (414, 431), larger ones hyper's own bare 431.
pub const MAX_HEAD_BUFFER: usize = 256 << 10;

/// What a connection may take.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_connections: usize,
    pub header_timeout: Duration,
    pub body_timeout: Duration,
    pub handshake_timeout: Duration,
    pub drain_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_connections: 4096,
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(30),
            handshake_timeout: Duration::from_secs(10),
            drain_timeout: Duration::from_secs(30),
        }
    }
}

/// The server's TLS configuration from PEM files: the certificate chain and its private key.
pub fn load_tls(cert: &Path, key: &Path) -> Result<Arc<rustls::ServerConfig>, String> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let read = |p: &Path| std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()));
    let certs = CertificateDer::pem_slice_iter(&read(cert)?)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("{}: {e}", cert.display()))?;
    if certs.is_empty() {
        return Err(format!("{}: no certificate (PEM) in it", cert.display()));
    }
    let secret = PrivateKeyDer::from_pem_slice(&read(key)?).map_err(|e| format!("{}: {e}", key.display()))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_no_client_auth()
        .with_single_cert(certs, secret)
        .map_err(|e| format!("{} and {}: {e}", cert.display(), key.display()))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// One connection's state, as the pool sees it.
#[derive(Default)]
struct Connection {
    busy: AtomicUsize,
    closing: AtomicBool,
    close: Notify,
}

/// The connections served, by age.
struct Pool {
    permits: Arc<Semaphore>,
    size: usize,
    live: Mutex<BTreeMap<u64, Arc<Connection>>>,
    next: AtomicU64,
}

/// A connection's place in the pool, given back when it is dropped.
struct Slot {
    id: u64,
    connection: Arc<Connection>,
    pool: Arc<Pool>,
    _permit: OwnedSemaphorePermit,
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.pool.live.lock().expect("pool lock").remove(&self.id);
    }
}

impl Pool {
    fn new(size: usize) -> Arc<Pool> {
        let size = size.max(1);
        Arc::new(Pool {
            permits: Arc::new(Semaphore::new(size)),
            size,
            live: Mutex::default(),
            next: AtomicU64::new(0),
        })
    }

    /// A place for a new connection: free, or made by closing the oldest idle connection.
    async fn admit(self: &Arc<Self>) -> Slot {
        let permit = match self.permits.clone().try_acquire_owned() {
            Ok(p) => p,
            Err(_) => {
                self.close_oldest_idle();
                self.permits.clone().acquire_owned().await.expect("the semaphore is never closed")
            }
        };
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let connection = Arc::new(Connection::default());
        self.live.lock().expect("pool lock").insert(id, connection.clone());
        Slot { id, connection, pool: self.clone(), _permit: permit }
    }

    fn close_oldest_idle(&self) {
        let live = self.live.lock().expect("pool lock");
        let idle = live.values().find(|c| c.busy.load(Ordering::Acquire) == 0 && !c.closing.load(Ordering::Acquire));
        if let Some(c) = idle {
            c.closing.store(true, Ordering::Release);
            c.close.notify_one();
        }
    }

    /// Resolves when every connection has ended.
    async fn drained(&self) {
        let _ = self.permits.acquire_many(self.size as u32).await;
    }
}

/// Marks its connection busy from the request's start until the response body is dropped.
struct Busy(Arc<Connection>);

impl Busy {
    fn new(c: Arc<Connection>) -> Busy {
        c.busy.fetch_add(1, Ordering::AcqRel);
        Busy(c)
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.busy.fetch_sub(1, Ordering::AcqRel);
    }
}

/// A response body that keeps its connection marked busy while it is sent.
struct Tracked {
    inner: Body,
    _busy: Busy,
}

impl http_body::Body for Tracked {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, axum::Error>>> {
        Pin::new(&mut self.get_mut().inner).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}

/// Accepts connections on `listener` and serves `app` on each until `shutdown` completes;
/// then lets the requests in flight finish.
pub async fn run(
    listener: TcpListener,
    app: axum::Router,
    tls: Option<Arc<rustls::ServerConfig>>,
    limits: Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) {
    let pool = Pool::new(limits.max_connections);
    let tls = tls.map(TlsAcceptor::from);
    let (stop, stopped) = watch::channel(false);
    tokio::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            _ = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of file descriptors and the like: the backlog waits while slots free up.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
            },
        };
        let slot = tokio::select! {
            _ = &mut shutdown => break,
            slot = pool.admit() => slot,
        };
        let (app, tls, stopped) = (app.clone(), tls.clone(), stopped.clone());
        tokio::spawn(async move {
            let _ = stream.set_nodelay(true);
            match tls {
                None => serve_connection(stream, app, slot, stopped, limits).await,
                Some(acceptor) => {
                    let handshake = tokio::time::timeout(limits.handshake_timeout, acceptor.accept(stream));
                    let stream = tokio::select! {
                        done = handshake => done,
                        _ = slot.connection.close.notified() => return,
                    };
                    if let Ok(Ok(stream)) = stream {
                        serve_connection(stream, app, slot, stopped, limits).await;
                    }
                }
            }
        });
    }
    drop(listener);
    let _ = stop.send(true);
    let _ = tokio::time::timeout(limits.drain_timeout, pool.drained()).await;
}

async fn serve_connection<I>(io: I, app: axum::Router, slot: Slot, mut stopped: watch::Receiver<bool>, limits: Limits)
where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let connection = slot.connection.clone();
    let service = hyper::service::service_fn(move |request: Request<Incoming>| {
        let busy = Busy::new(connection.clone());
        let mut app = app.clone();
        async move {
            let response = app.call(request.map(Body::new)).await?;
            Ok::<_, std::convert::Infallible>(response.map(|inner| Tracked { inner, _busy: busy }))
        }
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .max_buf_size(MAX_HEAD_BUFFER)
        .keep_alive(true);
    let conn = builder.serve_connection(TokioIo::new(io), service);
    tokio::pin!(conn);
    tokio::select! {
        _ = conn.as_mut() => return,
        _ = slot.connection.close.notified() => {}
        _ = stopped.wait_for(|s| *s) => {}
    }
    conn.as_mut().graceful_shutdown();
    let _ = conn.await;
}
