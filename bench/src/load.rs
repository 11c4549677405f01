//! A loopback load client for the mock provider: a fixed number of registrations over a few
//! keep-alive HTTP/1.1 connections, each sending its next request as soon as the previous
//! answer is read (closed loop). Bounded by design: it sends exactly `total` requests.
//! Hand-written on hyper's connection API rather than wrk so the suite needs no extra tool
//! and the request is byte-for-byte what a registration client sends.

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1;
use hyper_util::rt::TokioIo;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::net::TcpStream;

#[derive(Debug, Clone)]
pub struct LoadPlan {
    pub addr: SocketAddr,
    /// Path and query of the registration endpoint, e.g. "/register".
    pub path: String,
    /// The JSON body sent with every request.
    pub body: Bytes,
    pub total: usize,
    pub connections: usize,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LoadReport {
    pub sent: usize,
    /// Answers other than 201 Created (or 200 for dialects that answer so).
    pub failures: usize,
    pub elapsed: Duration,
}

impl LoadReport {
    pub fn per_second(&self) -> f64 {
        self.sent as f64 / self.elapsed.as_secs_f64().max(f64::EPSILON)
    }
}

/// Sends `plan.total` registrations and reports how long they took.
pub async fn run(plan: &LoadPlan) -> std::io::Result<LoadReport> {
    let next = Arc::new(AtomicUsize::new(0));
    let failures = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..plan.connections.max(1) {
        let (plan, next, failures) = (plan.clone(), next.clone(), failures.clone());
        workers.spawn(async move { connection(&plan, &next, &failures).await });
    }
    while let Some(done) = workers.join_next().await {
        done.map_err(std::io::Error::other)??;
    }
    Ok(LoadReport {
        sent: plan.total,
        failures: failures.load(Ordering::Relaxed),
        elapsed: start.elapsed(),
    })
}

async fn connection(plan: &LoadPlan, next: &AtomicUsize, failures: &AtomicUsize) -> std::io::Result<()> {
    let stream = TcpStream::connect(plan.addr).await?;
    stream.set_nodelay(true)?;
    let (mut sender, conn) = http1::handshake(TokioIo::new(stream))
        .await
        .map_err(std::io::Error::other)?;
    let driver = tokio::spawn(conn);
    let host = plan.addr.to_string();
    while next.fetch_add(1, Ordering::Relaxed) < plan.total {
        let request = http::Request::post(plan.path.as_str())
            .header(http::header::HOST, host.as_str())
            .header(http::header::CONTENT_TYPE, "application/json")
            .body(Full::new(plan.body.clone()))
            .map_err(std::io::Error::other)?;
        sender.ready().await.map_err(std::io::Error::other)?;
        let response = sender.send_request(request).await.map_err(std::io::Error::other)?;
        let ok = response.status().is_success();
        // Read the whole answer: a client that registers needs the secret in it.
        response.into_body().collect().await.map_err(std::io::Error::other)?;
        if !ok {
            failures.fetch_add(1, Ordering::Relaxed);
        }
    }
    drop(sender);
    let _ = driver.await;
    Ok(())
}
