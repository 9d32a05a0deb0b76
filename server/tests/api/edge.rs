//! The edge of the server: cross-site requests, links from other sites into the
//! staff workspace, redirects, control characters in paths, timeouts, load
//! shedding, caching headers, the flash cookie's size, multipart uploads.

use std::time::{Duration, Instant};

use awn_domain::staff::StaffRole;
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

use crate::{
    helpers::{TEST_ORIGIN, TestApp, spawn_app, spawn_app_with},
    staff::staff_browser,
};

/// A client that sends no Origin by itself (as a script from anywhere could).
fn bare_client() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("a client")
}

async fn consents(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM visitor_consents").fetch_one(app.database.pool()).await.expect("count")
}

const CONSENT: &str = "method=reject_all&return_to=%2Ffaq";

#[tokio::test]
async fn a_server_function_refuses_requests_from_another_site() {
    let app = spawn_app().await;
    let url = app.url("/api/consent/choose");
    let post = |client: &reqwest::Client| {
        client.post(&url).header("content-type", "application/x-www-form-urlencoded").body(CONSENT)
    };
    let client = bare_client();

    // Another origin, with and without Sec-Fetch-Site.
    let refused = post(&client).header("origin", "https://evil.example").send().await.unwrap();
    assert_eq!(refused.status().as_u16(), 403);
    assert_eq!(refused.text().await.unwrap(), "\"Forbidden\"", "the typed error the app decodes");
    let refused = post(&client)
        .header("origin", "https://evil.example")
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status().as_u16(), 403);
    // A browser that says another site sent it is refused even with our Origin.
    let refused =
        post(&client).header("origin", TEST_ORIGIN).header("sec-fetch-site", "same-site").send().await.unwrap();
    assert_eq!(refused.status().as_u16(), 403);
    // No Origin and no Referer: refused.
    assert_eq!(post(&client).send().await.unwrap().status().as_u16(), 403);
    // A Referer of another site: refused.
    let refused = post(&client).header("referer", "https://evil.example/page").send().await.unwrap();
    assert_eq!(refused.status().as_u16(), 403);
    assert_eq!(consents(&app).await, 0, "nothing was recorded");

    // This site's requests pass: Origin, or a Referer of this site, with a same-origin fetch.
    let accepted =
        post(&client).header("origin", TEST_ORIGIN).header("sec-fetch-site", "same-origin").send().await.unwrap();
    assert_eq!(accepted.status().as_u16(), 200);
    let accepted = post(&client).header("referer", format!("{TEST_ORIGIN}/faq")).send().await.unwrap();
    assert_eq!(accepted.status().as_u16(), 200);
    assert_eq!(consents(&app).await, 2);
}

#[tokio::test]
async fn a_plain_form_route_refuses_requests_from_another_site_with_a_page() {
    let app = spawn_app().await;
    let url = app.url("/requests/1/evaluate");
    let client = bare_client();
    for (origin, site) in
        [(Some("https://evil.example"), None), (Some("https://evil.example"), Some("cross-site")), (None, None)]
    {
        let mut request = client.post(&url).header("accept", "text/html").header("cookie", "awn_lang=en");
        if let Some(origin) = origin {
            request = request.header("origin", origin);
        }
        if let Some(site) = site {
            request = request.header("sec-fetch-site", site);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status().as_u16(), 403, "{origin:?} {site:?}");
        assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
        let page = response.text().await.unwrap();
        assert!(page.contains("Request not accepted") && page.contains("lang=\"en\""), "{page}");
    }
    // In Arabic by default.
    let page = client.post(&url).header("accept", "text/html").send().await.unwrap().text().await.unwrap();
    assert!(page.contains("لم يُقبل الطلب") && page.contains("dir=\"rtl\""), "{page}");
    // The same post from this site reaches the route (which asks to sign in).
    let response =
        client.post(&url).header("origin", TEST_ORIGIN).header("sec-fetch-site", "same-origin").send().await.unwrap();
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(response.headers()["location"], "/sign-in");

    // A server function posted as a plain form from elsewhere gets the page too.
    let response = client
        .post(app.url("/api/consent/choose"))
        .header("accept", "text/html")
        .header("origin", "https://evil.example")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(CONSENT)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 403);
    assert!(response.text().await.unwrap().contains("لم يُقبل الطلب"));
}

#[tokio::test]
async fn a_link_from_another_site_to_a_staff_page_asks_first_and_audits_nothing() {
    let app = spawn_app().await;
    app.signed_in("0561113333").await;
    let id = awn_storage::accounts::beneficiary_by_mobile(&app.database, "+966561113333")
        .await
        .expect("storage")
        .expect("the account");
    let officer = staff_browser(&app, StaffRole::RelationsOfficer, true).await;
    let audited = || async {
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'beneficiary.view'")
            .fetch_one(app.database.pool())
            .await
            .expect("count");
        count
    };
    let path = format!("/staff/beneficiaries/{id}");
    for site in ["cross-site", "same-site"] {
        let response = officer.client.get(officer.url(&path)).header("sec-fetch-site", site).send().await.unwrap();
        assert_eq!(response.status().as_u16(), 200);
        let page = response.text().await.unwrap();
        assert!(page.contains("هل تفتح هذه الصفحة من مساحة العمل؟"), "{page}");
        assert!(page.contains(&format!("href=\"{path}\"")), "a same-origin link to the same page: {page}");
        assert!(!page.contains("0561113333") && !page.contains("056 111 3333"), "nothing personal is shown");
    }
    assert_eq!(audited().await, 0, "nothing was read, nothing audited");

    // Following the confirmation's link (same-origin) opens the page.
    let response = officer.client.get(officer.url(&path)).header("sec-fetch-site", "same-origin").send().await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert!(!response.text().await.unwrap().contains("هل تفتح هذه الصفحة من مساحة العمل؟"));
    assert!(audited().await >= 1, "the chosen read is audited");
}

#[tokio::test]
async fn return_paths_never_leave_the_site_nor_break_the_connection() {
    let app = spawn_app().await;
    let visitor = app.browser();
    for (return_to, expected) in [
        ("/faq", "/faq"),
        ("/\n", "/"),
        ("/\\evil.example", "/"),
        ("//evil.example", "/"),
        ("/%5Cevil.example", "/"),
        ("https://evil.example", "/"),
        ("/\r\nSet-Cookie: x=1", "/"),
    ] {
        let (status, location) = visitor
            .post_form("/api/consent/choose", "/faq", &[("method", "accept_all"), ("return_to", return_to)])
            .await;
        assert_eq!((status, location.as_str()), (302, expected), "{return_to:?}");
    }
    // The preference links: ?next= goes through the same check.
    for (next, expected) in
        [("%2Fprivacy", "/privacy"), ("%2F%255Cevil.example", "/"), ("%2F%0a", "/"), ("%2F%2Fevil", "/")]
    {
        let response = app.get(&format!("/preferences/language/en?next={next}")).await;
        assert_eq!(response.status().as_u16(), 303);
        assert_eq!(response.headers()["location"], expected, "{next}");
    }
}

#[tokio::test]
async fn a_token_or_id_with_a_control_character_is_not_found() {
    let app = spawn_app().await;
    let form = [("~version", "1")];
    for path in
        ["/survey-answers/abc%00def", "/survey-answers/abc%0Adef", "/requests/1%00/evaluate", "/uploads/requests/1%0D"]
    {
        let response = app.client.post(app.url(path)).form(&form).send().await.unwrap();
        assert_eq!(response.status().as_u16(), 404, "{path}");
    }
    for path in ["/survey/abc%00def", "/staff/requests/1%00", "/documents/1%1F", "/api/%00"] {
        assert_eq!(app.get(path).await.status().as_u16(), 404, "{path}");
    }
    // A token of the wrong shape is unknown too (never the database's error).
    let response = app.client.post(app.url("/survey-answers/a%20b%22c")).form(&form).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 404);
}

#[tokio::test]
async fn a_connection_that_never_finishes_its_headers_is_closed() {
    let app = spawn_app_with(|settings| settings.header_read_timeout_seconds = 1).await;
    let address = app.address.trim_start_matches("http://").to_owned();
    let mut stream = TcpStream::connect(&address).await.unwrap();
    stream.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ").await.unwrap();
    let began = Instant::now();
    let mut buffer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut buffer)).await;
    assert!(read.is_ok(), "the server closed the connection");
    let elapsed = began.elapsed();
    assert!(elapsed >= Duration::from_millis(800) && elapsed < Duration::from_secs(5), "{elapsed:?}");
    // An idle connection that sends nothing at all is closed as well.
    let mut idle = TcpStream::connect(&address).await.unwrap();
    let read = tokio::time::timeout(Duration::from_secs(10), idle.read_to_end(&mut Vec::new())).await;
    assert!(read.is_ok(), "the idle connection was closed");
    // The server still answers.
    assert_eq!(app.get("/healthz").await.status().as_u16(), 200);
}

/// A request whose body never comes: it holds its place until a timeout.
async fn stalled_post(address: &str) -> TcpStream {
    let mut stream = TcpStream::connect(address).await.unwrap();
    let head = format!(
        "POST /survey-answers/abc HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: {TEST_ORIGIN}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream
}

#[tokio::test]
async fn past_the_concurrency_limit_requests_are_shed_with_retry_after() {
    let app = spawn_app_with(|settings| settings.max_concurrent_requests = 1).await;
    let address = app.address.trim_start_matches("http://").to_owned();
    let _held = stalled_post(&address).await;
    tokio::time::sleep(Duration::from_millis(300)).await;

    let response = app.client.get(app.url("/faq")).header("accept", "text/html").send().await.unwrap();
    assert_eq!(response.status().as_u16(), 503);
    assert_eq!(response.headers()["retry-after"], "5");
    assert!(response.text().await.unwrap().contains("عون مشغول الآن"));
    let response =
        app.client.post(app.url("/api/consent/choose")).form(&[("method", "accept_all")]).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 503);
    assert!(response.headers().contains_key("retry-after"));
    assert_eq!(response.text().await.unwrap(), "\"Unavailable\"");
    // Health probes are never turned away.
    assert_eq!(app.get("/healthz").await.status().as_u16(), 200);
}

#[tokio::test]
async fn a_request_that_takes_too_long_is_answered_408() {
    let app = spawn_app_with(|settings| settings.request_timeout_seconds = 1).await;
    let address = app.address.trim_start_matches("http://").to_owned();
    let mut stream = stalled_post(&address).await;
    let mut buffer = vec![0u8; 256];
    let read = tokio::time::timeout(Duration::from_secs(10), stream.read(&mut buffer)).await.expect("answered");
    let answer = String::from_utf8_lossy(&buffer[..read.unwrap()]).to_string();
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
}

#[tokio::test]
async fn open_connections_are_capped() {
    let app = spawn_app_with(|settings| settings.max_connections = 2).await;
    let address = app.address.trim_start_matches("http://").to_owned();
    let first = TcpStream::connect(&address).await.unwrap();
    let _second = TcpStream::connect(&address).await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    // A third is not served while two are open (it waits in the backlog)...
    let waiting = bare_client().get(app.url("/healthz")).timeout(Duration::from_millis(700)).send().await;
    assert!(waiting.is_err(), "not served at the cap");
    // ...and is as soon as one closes.
    drop(first);
    let served = bare_client().get(app.url("/healthz")).timeout(Duration::from_secs(5)).send().await.unwrap();
    assert_eq!(served.status().as_u16(), 200);
}

#[tokio::test]
async fn personal_data_is_never_cached_and_windows_stay_apart() {
    let app = spawn_app().await;
    let page = app.get("/").await;
    assert_eq!(page.headers()["cache-control"], "no-store");
    assert_eq!(page.headers()["cross-origin-opener-policy"], "same-origin");
    assert_eq!(page.headers()["cross-origin-resource-policy"], "same-origin");
    let browser = app.signed_in("0501234567").await;
    let response = browser.client.post(browser.url("/api/my_data")).send().await.unwrap();
    assert!(response.headers()["cache-control"].to_str().unwrap().contains("no-store"), "{:?}", response.headers());
    let response = browser.client.get(browser.url("/my-data/export.json")).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert!(response.headers()["cache-control"].to_str().unwrap().contains("no-store"));
    let refused = bare_client().get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(refused.headers()["cache-control"], "no-store");
    assert_eq!(refused.headers()["cross-origin-resource-policy"], "same-origin");
}

#[tokio::test]
async fn a_huge_typed_field_keeps_the_flash_cookie_under_4_kb() {
    let app = spawn_app().await;
    let visitor = app.browser();
    let question = "سؤال ".repeat(20_000);
    let response = visitor
        .client
        .post(visitor.url("/api/inquiries/ask"))
        .header("accept", "text/html")
        .form(&[("asker_name", "سارة"), ("mobile", "0501234567"), ("question", question.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 302);
    let cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|c| c.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("awn_flash="))
        .expect("the flash cookie");
    assert!(cookie.len() < 4096, "{} bytes", cookie.len());
    let (_, page) = visitor.page("/faq").await;
    assert!(page.contains("النص أطول من المسموح."), "the problem is still shown");
    assert!(page.contains("سؤال سؤال"), "what was typed comes back, shortened");
}

#[tokio::test]
async fn an_upload_with_two_file_parts_is_refused() {
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0";
    let app = spawn_app().await;
    let browser = app.signed_in("0501234567").await;
    let form = reqwest::multipart::Form::new()
        .part("file", reqwest::multipart::Part::bytes(PNG.to_vec()).file_name("a.png"))
        .part("file", reqwest::multipart::Part::bytes(b"MZ\x90\0 an exe".to_vec()).file_name("b.png"));
    let response = browser
        .client
        .post(browser.url("/uploads/draft"))
        .header("accept", "text/html")
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 303);
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM documents").fetch_one(app.database.pool()).await.unwrap();
    assert_eq!(count, 0, "nothing glued together and stored");
    let (_, page) = browser.page("/requests/new").await;
    assert!(page.contains("تعذّر رفع الملف"), "{page}");

    // The staff upload routes read uploads the same way.
    let officer = staff_browser(&app, StaffRole::RelationsOfficer, true).await;
    let id = awn_storage::accounts::beneficiary_by_mobile(&app.database, "+966501234567").await.unwrap().unwrap();
    let form = reqwest::multipart::Form::new()
        .text("party", "جمعية البر")
        .part("file", reqwest::multipart::Part::bytes(PNG.to_vec()).file_name("a.png"))
        .part("file", reqwest::multipart::Part::bytes(PNG.to_vec()).file_name("b.png"));
    let response = officer
        .client
        .post(officer.url(&format!("/staff/beneficiaries/{id}/sharing-consent")))
        .header("accept", "text/html")
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 303);
    assert!(!response.headers()["location"].to_str().unwrap().contains("consent=1"));
}

#[tokio::test]
async fn uploads_past_their_own_limit_are_shed() {
    let app = spawn_app_with(|settings| settings.max_concurrent_uploads = 1).await;
    let address = app.address.trim_start_matches("http://").to_owned();
    let browser = app.browser();
    browser.call("sign_in/request_code", &[("mobile", "0501234567")]).await;
    let code = app.latest_code_for("+966501234567").await;
    let response = browser
        .client
        .post(browser.url("/api/sign_in/verify_code"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("code={code}"))
        .send()
        .await
        .unwrap();
    let session = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find(|cookie| cookie.contains("awn_session="))
        .and_then(|cookie| cookie.split(';').next())
        .expect("a session cookie")
        .to_owned();

    // One upload whose file never finishes arriving holds the only place.
    let mut held = TcpStream::connect(&address).await.unwrap();
    let head = format!(
        "POST /uploads/draft HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: {TEST_ORIGIN}\r\nCookie: {session}\r\n\
         Content-Type: multipart/form-data; boundary=XyZ\r\nContent-Length: 100000\r\n\r\n\
         --XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n%PDF-1.7\n"
    );
    held.write_all(head.as_bytes()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;

    let form = reqwest::multipart::Form::new()
        .part("file", reqwest::multipart::Part::bytes(b"%PDF-1.7\n".to_vec()).file_name("b.pdf"));
    let response = browser
        .client
        .post(browser.url("/uploads/draft"))
        .header("accept", "text/html")
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 503);
    assert_eq!(response.headers()["retry-after"], "5");
    // Other requests go on.
    assert_eq!(browser.page("/requests/new").await.0, 200);
}

/// Handlers can read the client's address (per-address limits need it).
#[tokio::test]
async fn handlers_see_the_clients_address() {
    use axum::{Router, extract::ConnectInfo, routing::get};
    let router = Router::new().route(
        "/who",
        get(|ConnectInfo(address): ConnectInfo<std::net::SocketAddr>| async move { address.ip().to_string() }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(server::startup::serve(
        listener,
        router,
        async {
            let _ = stopped.await;
        },
        Duration::from_secs(1),
    ));
    let answer = reqwest::get(format!("http://{address}/who")).await.unwrap().text().await.unwrap();
    assert_eq!(answer, "127.0.0.1");
    stop.send(()).unwrap();
    server.await.unwrap().unwrap();
}

#[tokio::test]
async fn a_complaint_forms_way_back_stays_a_path_of_the_site() {
    let app = spawn_app().await;
    app.signed_in("0561113333").await;
    let id = awn_storage::accounts::beneficiary_by_mobile(&app.database, "+966561113333")
        .await
        .expect("storage")
        .expect("the account")
        .to_string();
    let officer = staff_browser(&app, StaffRole::RelationsOfficer, true).await;
    let (status, body) = officer
        .call("staff/beneficiary/complaint", &[("beneficiary", &id), ("channel", "phone"), ("body", "شكوى هاتفية")])
        .await;
    assert_eq!(status, 200, "{body}");
    let complaint: i64 =
        sqlx::query_scalar("SELECT id FROM complaints").fetch_one(app.database.pool()).await.expect("the complaint");
    let back = format!("/staff/beneficiaries/{id}");
    let (status, location) = officer
        .post_form(
            "/api/staff/complaints/review",
            &back,
            &[("complaint", &complaint.to_string()), ("from", &format!("{back}\n"))],
        )
        .await;
    assert_eq!((status, location.as_str()), (302, "/staff/complaints"));
}
