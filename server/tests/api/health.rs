use crate::helpers::spawn_app;

#[tokio::test]
async fn healthz_says_the_process_is_up() {
    let app = spawn_app().await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.text().await.unwrap(), "ok");
}

#[tokio::test]
async fn readyz_follows_the_database() {
    let app = spawn_app().await;
    let response = app.get("/readyz").await;
    assert_eq!(response.status().as_u16(), 200);

    app.database.close().await;
    let response = app.get("/readyz").await;
    assert_eq!(response.status().as_u16(), 503);
    // The process itself is still up.
    assert_eq!(app.get("/healthz").await.status().as_u16(), 200);
}
