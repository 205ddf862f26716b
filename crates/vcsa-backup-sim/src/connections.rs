//! Serving connections: at most so many at once, each in its own task, with a time limit on
//! the first request's headers, HTTPS or plain HTTP.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::{GracefulShutdown, Watcher};
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore, oneshot};
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt;

use crate::appliance::Appliance;
use crate::limits::DEFAULT_MAX_CONNECTIONS;
use crate::outage::Outage;
use crate::routes::lost;

/// What keeps slow or idle clients from holding the simulator.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ConnectionLimits {
    pub(crate) header_read_timeout: Option<Duration>,
    pub(crate) max_connections: usize,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        Self {
            header_read_timeout: None,
            max_connections: DEFAULT_MAX_CONNECTIONS,
        }
    }
}

/// What every connection is served with.
pub(crate) struct Connections {
    pub(crate) app: axum::Router,
    pub(crate) tls: Option<TlsAcceptor>,
    pub(crate) limits: ConnectionLimits,
    /// Counts the open connections.
    pub(crate) appliance: Arc<Appliance>,
}

/// Accepts connections until told to stop, at most `max_connections` at once; each connection
/// (and its TLS handshake) runs in its own task so a slow client never holds up the others.
/// During an outage the port is closed (refused) or connections are held unanswered
/// (black hole) until it ends.
pub(crate) async fn serve(
    listener: TcpListener,
    conns: Connections,
    mut stop: oneshot::Receiver<()>,
) {
    let conns = Arc::new(conns);
    let graceful = GracefulShutdown::new();
    let builder = auto::Builder::new(TokioExecutor::new());
    let slots = Arc::new(Semaphore::new(conns.limits.max_connections));
    let addr = listener.local_addr().ok();
    let mut listener = Some(listener);
    let mut outage = conns.appliance.outage.watch();
    // Black-holed connections: open, never read, closed when the outage ends.
    let mut held: Vec<TcpStream> = Vec::new();
    loop {
        let now = *outage.borrow_and_update();
        if now != Some(Outage::BlackHole) {
            held.clear();
        }
        if now == Some(Outage::Refused) {
            drop(listener.take());
            tokio::select! {
                changed = outage.changed() => if changed.is_err() { break } else { continue },
                _ = &mut stop => break,
            }
        }
        let Some(open) = listener.as_ref() else {
            // The outage ended: listen on the same address again.
            match addr.map(TcpListener::bind) {
                Some(bind) => match bind.await {
                    Ok(reopened) => listener = Some(reopened),
                    Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
                },
                None => break,
            }
            continue;
        };
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => slot,
            _ = outage.changed() => continue,
            _ = &mut stop => break,
        };
        let Ok(slot) = slot else { break };
        let stream = tokio::select! {
            accepted = open.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of file descriptors and the like: back off briefly instead of spinning.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = outage.changed() => continue,
            _ = &mut stop => break,
        };
        if *outage.borrow() == Some(Outage::BlackHole) {
            held.push(stream);
            continue;
        }
        let _ = stream.set_nodelay(true);
        tokio::spawn(connection(
            stream,
            conns.clone(),
            slot,
            graceful.watcher(),
            builder.clone(),
        ));
    }
    drop(held);
    drop(listener);
    let _ = tokio::time::timeout(Duration::from_secs(5), graceful.shutdown()).await;
}

/// Serves one connection until it closes, or until its first request's headers are too slow.
async fn connection(
    stream: TcpStream,
    conns: Arc<Connections>,
    slot: OwnedSemaphorePermit,
    watcher: Watcher,
    builder: auto::Builder<TokioExecutor>,
) {
    let _open = OpenConnection::new(&conns.appliance, slot);
    // Told when the first request's headers have arrived.
    let first_request = Arc::new(Notify::new());
    let heard = first_request.clone();
    let service = TowerToHyperService::new(lost::service(conns.app.clone()).map_request(
        move |req: axum::http::Request<hyper::body::Incoming>| {
            heard.notify_one();
            req
        },
    ));
    let connection = async {
        match conns.tls.clone() {
            Some(acceptor) => {
                let Ok(stream) = acceptor.accept(stream).await else {
                    return;
                };
                let conn = builder.serve_connection(TokioIo::new(stream), service);
                let _ = watcher.watch(conn.into_owned()).await;
            }
            None => {
                let conn = builder.serve_connection(TokioIo::new(stream), service);
                let _ = watcher.watch(conn.into_owned()).await;
            }
        }
    };
    let too_slow = async {
        let heard = first_request.notified();
        match conns.limits.header_read_timeout {
            Some(limit) => {
                if tokio::time::timeout(limit, heard).await.is_ok() {
                    std::future::pending::<()>().await;
                }
            }
            None => std::future::pending::<()>().await,
        }
    };
    // Dropping the connection closes it.
    tokio::select! {
        () = connection => {}
        () = too_slow => {}
    }
}

/// One open connection: counted in the state, and holding one of the connection slots until
/// it closes.
struct OpenConnection<'a> {
    appliance: &'a Appliance,
    _slot: OwnedSemaphorePermit,
}

impl<'a> OpenConnection<'a> {
    fn new(appliance: &'a Appliance, slot: OwnedSemaphorePermit) -> Self {
        appliance.connections.fetch_add(1, Ordering::Relaxed);
        Self {
            appliance,
            _slot: slot,
        }
    }
}

impl Drop for OpenConnection<'_> {
    fn drop(&mut self) {
        self.appliance.connections.fetch_sub(1, Ordering::Relaxed);
    }
}
