use std::time::{Duration, Instant};

use axum::{Router, routing::get};
use server::startup::serve;
use tokio::{net::TcpListener, sync::oneshot};

use crate::helpers::spawn_app;

/// SIGTERM (here: the shutdown future) lets a request that is already running finish.
#[tokio::test]
async fn in_flight_requests_finish_after_shutdown_begins() {
    let router = Router::new().route(
        "/slow",
        get(|| async {
            tokio::time::sleep(Duration::from_millis(700)).await;
            "done"
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
        Duration::from_secs(5),
    ));

    let request = tokio::spawn(async move { reqwest::get(format!("http://{address}/slow")).await });
    tokio::time::sleep(Duration::from_millis(200)).await;
    let began = Instant::now();
    stop.send(()).unwrap();

    let response = request.await.unwrap().expect("the in-flight request is answered");
    assert_eq!(response.text().await.unwrap(), "done");
    server.await.unwrap().unwrap();
    assert!(began.elapsed() >= Duration::from_millis(300), "the server waited for the request");
    assert!(reqwest::get(format!("http://{address}/slow")).await.is_err(), "no new connections");
}

/// A request that outlives the grace period does not keep the process alive.
#[tokio::test]
async fn the_grace_period_bounds_the_wait() {
    let router = Router::new().route(
        "/stuck",
        get(|| async {
            tokio::time::sleep(Duration::from_secs(60)).await;
            "never"
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
    tokio::time::sleep(Duration::from_millis(200)).await;
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
