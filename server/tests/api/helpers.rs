use std::path::PathBuf;

use awn_storage::{
    Database,
    testing::{TestDatabase, fresh_database},
};
use server::{config::Settings, startup::Application};
use tokio::{sync::oneshot, task::JoinHandle};

pub struct TestApp {
    pub address: String,
    /// Does not follow redirects, so tests can see them.
    pub client: reqwest::Client,
    pub database: Database,
    /// The database's URL, for running the `awn` binary against it.
    pub database_url: String,
    /// Its data directory (the key file is beside it: `Settings::data_key_path`).
    pub data_dir: PathBuf,
    page_views: server::routes::analytics::PageViews,
    shutdown: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<std::io::Result<()>>>,
    _test_database: TestDatabase,
}

/// Settings for a test server: a free port, its own data directory.
pub fn test_settings(database_url: &str) -> Settings {
    let mut settings = Settings::defaults();
    settings.bind = "127.0.0.1:0".parse().expect("a loopback address");
    settings.database_url = Some(database_url.to_owned());
    settings.data_dir = std::env::temp_dir().join(format!("awn-test-data-{}", uuid::Uuid::new_v4()));
    settings.site_root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/site");
    settings.demo_data = true;
    settings.decision_period_days = 14;
    settings.default_locale = awn_domain::locale::Language::Arabic;
    settings.public_base_url = "http://127.0.0.1".into();
    settings.shutdown_grace_seconds = 5;
    // Production mode (the default) over plain http: the tests talk to loopback.
    settings.allow_http = true;
    // Delivered bodies are blanked (production): tests read codes and links
    // from the outbox before any delivery. A test of delivery sets its own.
    settings.outbox_poll_ms = 600_000;
    // Tests run the scheduled work themselves, at the moments they choose.
    settings.scheduler_tick_seconds = 0;
    // Every test client is 127.0.0.1: the per-address limits are raised out of
    // the way (server/tests/api/limits.rs sets its own).
    settings.limit_codes_per_hour = 10_000;
    settings.limit_forms_per_hour = 10_000;
    settings.limit_staff_sign_ins_per_hour = 10_000;
    settings
}

/// The Origin a browser on the test server's site sends: `public_base_url`'s.
/// Every test client sends it, so state-changing requests pass the
/// cross-site check as the app's own pages do.
pub const TEST_ORIGIN: &str = "http://127.0.0.1";

/// A client that sends `Origin: TEST_ORIGIN` and does not follow redirects.
pub fn same_origin_client(cookies: bool) -> reqwest::Client {
    same_origin_builder().cookie_store(cookies).build().expect("an HTTP client")
}

/// The builder of [`same_origin_client`], for a client with its own cookie jar.
pub fn same_origin_builder() -> reqwest::ClientBuilder {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(reqwest::header::ORIGIN, reqwest::header::HeaderValue::from_static(TEST_ORIGIN));
    reqwest::Client::builder().default_headers(headers).redirect(reqwest::redirect::Policy::none())
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

pub async fn spawn_app_with(adjust: impl FnOnce(&mut Settings)) -> TestApp {
    let test_database = fresh_database().await;
    let mut settings = test_settings(&test_database.url);
    adjust(&mut settings);
    let application = Application::build(&settings).await.expect("the application builds");
    let address = format!("http://{}", application.local_addr());
    let data_dir = settings.data_dir.clone();
    let database = application.database().clone();
    let page_views = application.page_views().clone();
    let (shutdown, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(application.run_until(async move {
        let _ = stopped.await;
    }));
    TestApp {
        address,
        client: same_origin_client(false),
        database,
        database_url: test_database.url.clone(),
        data_dir,
        page_views,
        shutdown: Some(shutdown),
        server: Some(server),
        _test_database: test_database,
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("the request is answered")
    }

    /// GET with a `Cookie` header.
    pub async fn get_with_cookie(&self, path: &str, cookie: &str) -> reqwest::Response {
        self.client.get(self.url(path)).header("cookie", cookie).send().await.expect("the request is answered")
    }

    /// Status and HTML of a page, hydration markers removed (see [`readable`]).
    pub async fn page(&self, path: &str) -> (u16, String) {
        let response = self.get(path).await;
        let status = response.status().as_u16();
        (status, readable(&response.text().await.expect("a body")))
    }

    /// HTML of a page requested with a `Cookie` header, hydration markers removed.
    pub async fn page_with_cookie(&self, path: &str, cookie: &str) -> String {
        readable(&self.get_with_cookie(path, cookie).await.text().await.expect("a body"))
    }

    /// Waits until every page view counted so far is in the database. A view is
    /// counted (or not) before its response leaves, so after a response has been
    /// read this settles whether that page was counted: no fixed wait.
    pub async fn page_views_settled(&self) {
        self.page_views.settled().await;
    }

    /// Asks the server to stop and waits until it has.
    pub async fn stop(mut self) -> std::io::Result<()> {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        match self.server.take() {
            Some(server) => server.await.expect("the server task ends"),
            None => Ok(()),
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(server) = self.server.take() {
            server.abort();
        }
    }
}

/// The nonce a `Content-Security-Policy` value names.
pub fn policy_nonce(policy: &str) -> String {
    policy.split("'nonce-").nth(1).and_then(|rest| rest.split('\'').next()).expect("a nonce").to_owned()
}

/// The value of `<html lang>` and `<html dir>` of a page.
pub fn html_lang_dir(body: &str) -> (String, String) {
    let start = body.find("<html").expect("an <html> tag");
    let tag = &body[start..start + body[start..].find('>').expect("the tag closes")];
    let attribute = |name: &str| {
        let key = format!("{name}=\"");
        tag.find(&key)
            .map(|i| {
                let rest = &tag[i + key.len()..];
                rest[..rest.find('"').unwrap_or(0)].to_string()
            })
            .unwrap_or_default()
    };
    (attribute("lang"), attribute("dir"))
}

/// Server-rendered HTML with the empty comments Leptos puts between adjacent text
/// nodes for hydration (`<!>`) removed, so text reads as a browser shows it.
pub fn readable(html: &str) -> String {
    html.replace("<!>", "")
}

/// A beneficiary's browser: keeps cookies, does not follow redirects.
pub struct Browser {
    pub client: reqwest::Client,
    base: String,
    jar: std::sync::Arc<reqwest::cookie::Jar>,
}

impl TestApp {
    /// A fresh browser with an empty cookie jar.
    pub fn browser(&self) -> Browser {
        let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
        Browser {
            client: same_origin_builder().cookie_provider(jar.clone()).build().expect("an HTTP client"),
            base: self.address.clone(),
            jar,
        }
    }

    /// The newest sign-in code sent to `e164`, read from the outbox.
    pub async fn latest_code_for(&self, e164: &str) -> String {
        let messages = awn_storage::outbox::recent(&self.database, 100).await.expect("outbox");
        let body = messages
            .iter()
            .find(|m| m.recipient == e164 && m.purpose == "sign_in_code")
            .map(|m| m.body.clone())
            .expect("a sign-in code was queued");
        six_digits(&body).expect("the message holds a 6-digit code")
    }

    /// A browser signed in as the holder of `mobile` (given as 05…).
    pub async fn signed_in(&self, mobile: &str) -> Browser {
        let browser = self.browser();
        // A second device within the resend interval would be throttled (as it
        // should be); tests that sign in twice move earlier codes back a day (the per-number
        // limits look back that far).
        let keys = self.database.keys().expect("the data keys");
        sqlx::query("UPDATE sign_in_codes SET created_at = created_at - 86400 WHERE mobile_hash = $1")
            .bind(awn_storage::crypto::contact_hash(keys, &e164(mobile)))
            .execute(self.database.pool())
            .await
            .expect("earlier codes moved back");
        let answer = browser.call("sign_in/request_code", &[("mobile", mobile)]).await;
        assert_eq!(answer.0, 200, "{}", answer.1);
        let code = self.latest_code_for(&e164(mobile)).await;
        let answer = browser.call("sign_in/verify_code", &[("code", &code)]).await;
        assert_eq!(answer.1, "null", "signed in");
        browser
    }
}

impl Browser {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Puts `name=value` in this browser's jar, as if the site had set it.
    pub fn set_cookie(&self, cookie: &str) {
        let url = reqwest::Url::parse(&self.base).expect("the base URL");
        self.jar.add_cookie_str(&format!("{cookie}; Path=/"), &url);
    }

    /// Calls a server function as the hydrated app does: form-encoded arguments,
    /// JSON answer. Returns the status and the body.
    pub async fn call(&self, endpoint: &str, args: &[(&str, &str)]) -> (u16, String) {
        let body: String = form_urlencoded::Serializer::new(String::new()).extend_pairs(args).finish();
        let response = self
            .client
            .post(self.url(&format!("/api/{endpoint}")))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .expect("the server function answers");
        let status = response.status().as_u16();
        (status, response.text().await.expect("a body"))
    }

    /// Posts a form as a browser without JavaScript does: Accept text/html and the
    /// page it came from as Referer. Returns the status and the Location.
    pub async fn post_form(&self, action: &str, referer: &str, args: &[(&str, &str)]) -> (u16, String) {
        let body: String = form_urlencoded::Serializer::new(String::new()).extend_pairs(args).finish();
        let response = self
            .client
            .post(self.url(action))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "text/html,application/xhtml+xml")
            .header("referer", self.url(referer))
            .body(body)
            .send()
            .await
            .expect("the form post is answered");
        let status = response.status().as_u16();
        let location = response.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        (status, location)
    }

    /// Status and readable HTML of a page.
    pub async fn page(&self, path: &str) -> (u16, String) {
        let response = self
            .client
            .get(self.url(path))
            .header("accept", "text/html,application/xhtml+xml")
            .send()
            .await
            .expect("the page answers");
        let status = response.status().as_u16();
        (status, readable(&response.text().await.expect("a body")))
    }

    /// Uploads `bytes` as the form field `file` to `action`; returns the status and
    /// the Location it redirects to.
    pub async fn upload(&self, action: &str, file_name: &str, bytes: Vec<u8>, asked: Option<i64>) -> (u16, String) {
        let mut form = reqwest::multipart::Form::new();
        if let Some(asked) = asked {
            form = form.text("asked", asked.to_string());
        }
        form = form.part("file", reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_owned()));
        let response = self
            .client
            .post(self.url(action))
            .header("accept", "text/html")
            .multipart(form)
            .send()
            .await
            .expect("the upload is answered");
        let status = response.status().as_u16();
        let location = response.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        (status, location)
    }
}

impl Browser {
    /// Posts a multipart form with text `fields` and a `file`, as a browser
    /// without JavaScript does; returns the status and the Location.
    pub async fn upload_form(
        &self,
        action: &str,
        fields: &[(&str, &str)],
        file_name: &str,
        bytes: Vec<u8>,
    ) -> (u16, String) {
        let mut form = reqwest::multipart::Form::new();
        for (name, value) in fields {
            form = form.text((*name).to_owned(), (*value).to_owned());
        }
        form = form.part("file", reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_owned()));
        let response = self
            .client
            .post(self.url(action))
            .header("accept", "text/html")
            .multipart(form)
            .send()
            .await
            .expect("answered");
        let status = response.status().as_u16();
        let location = response.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        (status, location)
    }

    /// A plain GET: status, content type and body bytes (for downloads).
    pub async fn download(&self, path: &str) -> (u16, String, Vec<u8>) {
        let response = self.client.get(self.url(path)).send().await.expect("answered");
        let status = response.status().as_u16();
        let content_type =
            response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        (status, content_type, response.bytes().await.expect("a body").to_vec())
    }
}

/// 05XXXXXXXX → +9665XXXXXXXX.
pub fn e164(local: &str) -> String {
    format!("+966{}", &local[1..])
}

/// The first run of exactly six ASCII digits in `text`.
pub fn six_digits(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            if i - start == 6 {
                return Some(chars[start..i].iter().collect());
            }
        } else {
            i += 1;
        }
    }
    None
}

/// A valid 10-digit national ID (Luhn check digit) from a 9-digit prefix.
pub fn national_id(prefix: &str) -> String {
    assert_eq!(prefix.len(), 9);
    for check in 0..10 {
        let candidate = format!("{prefix}{check}");
        let sum: u32 = candidate
            .chars()
            .enumerate()
            .map(|(i, c)| {
                let d = c.to_digit(10).expect("digits");
                if i % 2 == 0 {
                    let doubled = d * 2;
                    doubled / 10 + doubled % 10
                } else {
                    d
                }
            })
            .sum();
        if sum.is_multiple_of(10) {
            return candidate;
        }
    }
    unreachable!("one check digit always fits")
}

/// Runs a command of the `awn` binary without blocking the test's runtime. The
/// app under test runs on that runtime: blocked, a write it was in the middle of
/// could not finish, and the command waited for the database until it gave up
/// ("database is locked").
pub async fn run_awn(mut command: std::process::Command) -> std::process::Output {
    tokio::task::spawn_blocking(move || command.output().expect("the awn binary runs"))
        .await
        .expect("the command's thread ended")
}
