use crate::helpers::spawn_app;

#[tokio::test]
async fn the_privacy_policy_server_function_answers_json() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(app.url("/api/privacy_policy"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("language=English")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let body = response.text().await.unwrap();
    assert!(body.contains("\"version\":\"1.0\""), "{body}");
    assert!(body.contains("Article 1"), "English text: {body}");
}

#[tokio::test]
async fn a_malformed_server_function_call_is_a_client_error_not_a_crash() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(app.url("/api/privacy_policy"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("language=Klingon")
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    assert!((400..500).contains(&status), "status {status}");
}
