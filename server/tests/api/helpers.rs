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
    settings
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
    let database = application.database().clone();
    let (shutdown, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(application.run_until(async move {
        let _ = stopped.await;
    }));
    TestApp {
        address,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("an HTTP client"),
        database,
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
        self.client
            .get(self.url(path))
            .header("cookie", cookie)
            .send()
            .await
            .expect("the request is answered")
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
