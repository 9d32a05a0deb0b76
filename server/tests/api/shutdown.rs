use std::{
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
};

use axum::{Router, routing::get};
use server::startup::serve;
use tokio::{
    net::TcpListener,
    sync::{Notify, oneshot},
};

use crate::helpers::spawn_app;

/// A handler that says when it has started and finishes only when told to.
#[derive(Clone, Default)]
struct Gate {
    started: Arc<Notify>,
    release: Arc<Notify>,
    finished: Arc<AtomicBool>,
}

/// Waits (with a deadline, not a fixed pause) until `address` refuses a new
/// request: the server has let go of its listener.
async fn until_refused(address: std::net::SocketAddr) {
    let refused = async {
        while reqwest::get(format!("http://{address}/healthz")).await.is_ok() {
            tokio::task::yield_now().await;
        }
    };
    tokio::time::timeout(Duration::from_secs(5), refused).await.expect("new connections are refused");
}

/// SIGTERM (here: the shutdown future) lets a request that is already running finish.
#[tokio::test]
async fn in_flight_requests_finish_after_shutdown_begins() {
    let gate = Gate::default();
    let router = Router::new().route(
        "/slow",
        get({
            let gate = gate.clone();
            move || async move {
                gate.started.notify_one();
                gate.release.notified().await;
                gate.finished.store(true, Ordering::SeqCst);
                "done"
            }
        }),
    );
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let (began, shutdown_began) = oneshot::channel::<()>();
    let mut server = tokio::spawn(serve(
        listener,
        router,
        async {
            let _ = stopped.await;
            let _ = began.send(());
        },
        Duration::from_secs(5),
    ));

    let request = tokio::spawn(async move { reqwest::get(format!("http://{address}/slow")).await });
    // The request is in the handler: in flight.
    gate.started.notified().await;
    stop.send(()).unwrap();
    // The server has seen the signal and stops taking connections...
    shutdown_began.await.expect("the server saw the shutdown signal");
    until_refused(address).await;
    // ...but is still running: it waits for the request in flight. (One thread:
    // the server task has run as far as it can while the test awaited above.)
    tokio::task::yield_now().await;
    assert!(!server.is_finished(), "the server waits for the request in flight");

    gate.release.notify_one();
    let response = request.await.unwrap().expect("the in-flight request is answered");
    assert_eq!(response.text().await.unwrap(), "done");
    tokio::time::timeout(Duration::from_secs(5), &mut server).await.expect("stopped").unwrap().unwrap();
    assert!(gate.finished.load(Ordering::SeqCst), "the server stopped after the request finished");
    assert!(reqwest::get(format!("http://{address}/slow")).await.is_err(), "no new connections");
}

/// A request that outlives the grace period does not keep the process alive.
#[tokio::test]
async fn the_grace_period_bounds_the_wait() {
    let started = Arc::new(Notify::new());
    let router = Router::new().route(
        "/stuck",
        get({
            let started = started.clone();
            move || async move {
                started.notify_one();
                std::future::pending::<&str>().await
            }
        }),
    );
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(serve(
        listener,
        router,
        async {
            let _ = stopped.await;
        },
        Duration::from_millis(300),
    ));
    let _request = tokio::spawn(async move { reqwest::get(format!("http://{address}/stuck")).await });
    // The request is in the handler, and will never finish by itself.
    started.notified().await;
    stop.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(5), server)
        .await
        .expect("stopped within the grace period")
        .unwrap()
        .unwrap();
}

#[tokio::test]
async fn the_application_stops_cleanly() {
    let app = spawn_app().await;
    assert_eq!(app.get("/healthz").await.status().as_u16(), 200);
    app.stop().await.unwrap();
}
