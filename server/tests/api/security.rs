use crate::helpers::{policy_nonce, spawn_app};

#[tokio::test]
async fn pages_carry_security_headers_and_a_nonce_policy() {
    let app = spawn_app().await;
    let response = app.get("/").await;
    let headers = response.headers().clone();
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["referrer-policy"], "strict-origin-when-cross-origin");
    let csp = headers["content-security-policy"].to_str().unwrap().to_string();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(csp.contains("'wasm-unsafe-eval'"), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    let nonce = policy_nonce(&csp);

    // Every script of the page with something in it carries this response's nonce.
    // (leptos_i18n leaves an empty `<script></script>` placeholder: nothing to run.)
    let body = response.text().await.unwrap();
    let scripts: Vec<_> = body
        .match_indices("<script")
        .map(|(i, _)| &body[i..i + body[i..].find("</script>").unwrap()])
        .filter(|script| *script != "<script>")
        .collect();
    assert!(scripts.len() >= 2, "the hydration scripts are there: {scripts:?}");
    for script in scripts {
        assert!(script.contains(&format!("nonce=\"{nonce}\"")), "{script}");
    }

    // A new response, a new nonce.
    let again = app.get("/").await.headers()["content-security-policy"].to_str().unwrap().to_string();
    assert_ne!(again, csp);
}

#[tokio::test]
async fn every_response_has_a_request_id() {
    let app = spawn_app().await;
    let response = app.get("/healthz").await;
    let id = response.headers()["x-request-id"].to_str().unwrap();
    assert_eq!(id.len(), 36, "a UUID: {id}");
    // An id set by the load balancer is kept.
    let response = app.client.get(app.url("/healthz")).header("x-request-id", "lb-123").send().await.unwrap();
    assert_eq!(response.headers()["x-request-id"], "lb-123");
}

#[tokio::test]
async fn pages_are_compressed_for_clients_that_accept_it() {
    use std::io::Read;
    let app = spawn_app().await;
    let response = app.client.get(app.url("/")).header("accept-encoding", "gzip").send().await.unwrap();
    assert_eq!(response.headers()["content-encoding"], "gzip");
    let compressed = response.bytes().await.unwrap();
    let mut html = String::new();
    flate2::read::GzDecoder::new(&compressed[..]).read_to_string(&mut html).unwrap();
    assert!(html.contains("خدمات المستفيدين"));
    assert!(compressed.len() < html.len() / 2, "{} vs {}", compressed.len(), html.len());
}
