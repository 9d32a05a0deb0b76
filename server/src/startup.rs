//! Building the application and running it until it is told to stop.

use std::{future::Future, net::SocketAddr, sync::Arc, time::Duration};

use app::{
    app::{App, shell},
    state::{AppContext, UiSettings},
};
use awn_storage::{Database, StorageError};
use axum::{
    Router,
    body::Body,
    extract::{DefaultBodyLimit, FromRef},
    http::{HeaderName, Request},
    routing::{get, post},
};
use leptos::prelude::*;
use leptos_axum::{AxumRouteListing, LeptosRoutes, generate_route_list};
use tokio::net::TcpListener;
use tower::ServiceBuilder;
use tower_http::{
    compression::CompressionLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    trace::{DefaultOnResponse, TraceLayer},
};
use tracing::Level;

use crate::{
    config::{Environment, Settings},
    limits,
    notifications::{Adapters, HttpSmsGateway, LogAdapter, OutboxWorker, SmtpMailer, spawn_worker},
    routes, security,
};

/// Everything a request handler may need.
#[derive(Clone, FromRef)]
pub struct ServerState {
    pub leptos_options: LeptosOptions,
    pub app: AppContext,
    pub behind_tls: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("cannot open the database: {0}")]
    Database(#[from] StorageError),
    #[error("cannot listen on {address}: {source}")]
    Bind { address: SocketAddr, source: std::io::Error },
    #[error("notification settings: {0}")]
    Notifications(String),
}

/// The delivery adapters the settings ask for.
pub fn delivery_adapters(settings: &Settings) -> Result<Adapters, StartupError> {
    let sms = match &settings.sms_gateway_url {
        Some(url) => Some(
            HttpSmsGateway::new(url.clone(), settings.sms_gateway_token.clone(), settings.sms_gateway_template.clone())
                .map_err(|e| StartupError::Notifications(e.to_string()))?,
        ),
        None => None,
    };
    let email = match &settings.smtp_url {
        Some(url) => Some(SmtpMailer::new(url, &settings.smtp_from).map_err(StartupError::Notifications)?),
        None => None,
    };
    if settings.environment == Environment::Production && (sms.is_none() || email.is_none()) {
        tracing::warn!(
            sms = sms.is_some(),
            email = email.is_some(),
            "a notification channel has no gateway: its messages are only logged"
        );
    }
    Ok(Adapters { log: LogAdapter { include_body: settings.environment == Environment::Development }, sms, email })
}

/// Opens the database, applies migrations and publishes the first privacy-policy
/// version if there is none; loads demo data when asked.
pub async fn prepare_database(settings: &Settings) -> Result<Database, StorageError> {
    let database = prepare_database_without_keys(settings).await?;
    // Personal data is encrypted at rest (B11): no key file, no start.
    let key_file = settings.data_key_path();
    let source = match settings.data_keys.as_deref() {
        Some(keys) => awn_storage::crypto::KeySource::Configured(keys),
        None => awn_storage::crypto::KeySource::File(&key_file),
    };
    let sealed = awn_storage::crypto::open_from(&database, source, awn_storage::now_unix_seconds()).await?;
    if sealed > 0 {
        tracing::info!(values = sealed, "personal data written before encryption is now encrypted");
    }
    Ok(database)
}

/// [`prepare_database`] for the commands that never read personal data (audit
/// check, backup, staff accounts): they run without the data key file.
pub async fn prepare_database_without_keys(settings: &Settings) -> Result<Database, StorageError> {
    let database = Database::connect(&settings.database_url()).await?;
    database.migrate().await?;
    awn_storage::privacy_policy::ensure_initial_version(&database).await?;
    if settings.demo_data {
        awn_storage::demo::seed(&database).await?;
    }
    Ok(database)
}

/// A built application, bound to its port but not yet serving.
pub struct Application {
    listener: TcpListener,
    router: Router,
    database: Database,
    grace: Duration,
    worker: OutboxWorker,
}

impl Application {
    pub async fn build(settings: &Settings) -> Result<Self, StartupError> {
        let database = prepare_database(settings).await?;
        let listener = TcpListener::bind(settings.bind)
            .await
            .map_err(|source| StartupError::Bind { address: settings.bind, source })?;
        let router = router(settings, database.clone());
        let worker = OutboxWorker {
            database: database.clone(),
            adapters: delivery_adapters(settings)?,
            poll_interval: Duration::from_millis(settings.outbox_poll_ms),
        };
        Ok(Application {
            listener,
            router,
            database,
            grace: Duration::from_secs(settings.shutdown_grace_seconds),
            worker,
        })
    }

    /// The database the application uses.
    pub fn database(&self) -> &Database {
        &self.database
    }

    /// The address actually bound (port 0 in settings picks a free one).
    pub fn local_addr(&self) -> SocketAddr {
        self.listener.local_addr().unwrap_or_else(|_| SocketAddr::from(([127, 0, 0, 1], 0)))
    }

    /// Serves until `shutdown` completes, then lets in-flight requests finish (up to
    /// the grace period) and closes the database.
    pub async fn run_until(self, shutdown: impl Future<Output = ()> + Send + 'static) -> std::io::Result<()> {
        tracing::info!(address = %self.local_addr(), backend = self.database.backend().name(), "serving");
        let worker = spawn_worker(self.worker);
        let result = serve(self.listener, self.router, shutdown, self.grace).await;
        // Undelivered messages stay in the outbox for the next start (or another server).
        worker.abort();
        self.database.close().await;
        tracing::info!("stopped");
        result
    }
}

/// Serves `router` until `shutdown`; then stops accepting connections and waits for
/// in-flight requests, at most `grace`.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
    grace: Duration,
) -> std::io::Result<()> {
    let (stopping_tx, stopping_rx) = tokio::sync::oneshot::channel::<()>();
    let graceful = axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>()).with_graceful_shutdown(async move {
        shutdown.await;
        tracing::info!("shutting down: finishing in-flight requests");
        let _ = stopping_tx.send(());
    });
    let server = tokio::spawn(async move { graceful.await });
    let abort = server.abort_handle();
    tokio::spawn(async move {
        if stopping_rx.await.is_ok() {
            tokio::time::sleep(grace).await;
            tracing::warn!("grace period over: dropping the requests still running");
            abort.abort();
        }
    });
    match server.await {
        Ok(result) => result,
        Err(join) if join.is_cancelled() => Ok(()),
        Err(join) => Err(std::io::Error::other(join)),
    }
}

/// Resolves on SIGTERM or Ctrl-C.
pub async fn termination_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}

fn leptos_options(settings: &Settings) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("awn")
        .site_root(settings.site_root.display().to_string())
        .site_pkg_dir("pkg")
        .site_addr(settings.bind)
        .build()
}

/// The whole HTTP stack: Leptos pages and server functions, static files, probes,
/// preference links; wrapped in request ids, tracing, security headers, compression.
pub fn router(settings: &Settings, database: Database) -> Router {
    let leptos_options = leptos_options(settings);
    let max_upload_bytes = settings.max_upload_mb * 1024 * 1024;
    let documents = Arc::new(awn_storage::documents::LocalDiskStore::encrypted(
        settings.data_dir.join("documents"),
        database.clone(),
    ));
    let context = AppContext {
        database,
        settings: Arc::new(UiSettings {
            decision_period_days: settings.decision_period_days,
            default_language: settings.default_locale,
            behind_tls: settings.behind_tls(),
            max_upload_bytes,
            public_base_url: settings.public_base_url.trim_end_matches('/').to_owned(),
            sms_budget_per_hour: settings.sms_budget_per_hour,
            submissions_per_day: settings.submissions_per_day,
        }),
        documents,
    };
    let state = ServerState {
        leptos_options: leptos_options.clone(),
        app: context.clone(),
        behind_tls: settings.behind_tls(),
    };
    let routes = route_list();
    let provide = {
        let context = context.clone();
        move || {
            provide_context(context.clone());
            // The page's inline scripts carry the nonce the policy header names.
            let nonce = use_context::<http::request::Parts>()
                .and_then(|parts| parts.extensions.get::<security::ResponseNonce>().cloned());
            if let Some(security::ResponseNonce(nonce)) = nonce {
                provide_context(nonce);
            }
        }
    };

    let request_id = HeaderName::from_static("x-request-id");
    let mut router = Router::new();
    if settings.environment == Environment::Development {
        router = router.route("/dev/outbox", get(routes::dev_outbox::dev_outbox));
    }
    let mut router = router
        .route("/healthz", get(routes::health::healthz))
        .route("/readyz", get(routes::health::readyz))
        .route("/preferences/language/{tag}", get(routes::preferences::set_language))
        .route("/preferences/digits/{code}", get(routes::preferences::set_digits))
        .route(
            "/uploads/draft",
            // Room for the form around the file; the file itself is capped while read.
            post(routes::documents::upload_to_draft).layer(DefaultBodyLimit::max(max_upload_bytes as usize + 64 * 1024)),
        )
        .route(
            "/uploads/requests/{id}",
            post(routes::documents::upload_to_request)
                .layer(DefaultBodyLimit::max(max_upload_bytes as usize + 64 * 1024)),
        )
        .route("/documents/{id}", get(routes::documents::download))
        .route(
            "/staff/library/{id}/versions",
            post(routes::staff_files::upload_library_version)
                .layer(DefaultBodyLimit::max(max_upload_bytes as usize + 64 * 1024)),
        )
        .route("/staff/library/versions/{id}", get(routes::staff_files::download_library_version))
        .route("/staff/documents/{id}", get(routes::staff_files::download_document))
        .route(
            "/staff/beneficiaries/{id}/sharing-consent",
            post(routes::staff_files::upload_sharing_consent)
                .layer(DefaultBodyLimit::max(max_upload_bytes as usize + 64 * 1024)),
        )
        .route("/staff/reports/requests.csv", get(routes::staff_files::report_csv))
        .route("/staff/reports/research.csv", get(routes::staff_files::research_csv))
        .route("/my-data/export.json", get(routes::my_data::export_json))
        .route("/my-data/export.html", get(routes::my_data::export_html))
        .route("/staff/reports/requests.xlsx", get(routes::staff_files::report_xlsx))
        .route("/survey-answers/{token}", post(routes::surveys::answer))
        .route("/requests/{id}/evaluate", post(routes::surveys::evaluate_request))
        .route("/staff/feedback/{survey}", post(routes::surveys::answer_internal))
        .route("/staff/satisfaction.csv", get(routes::surveys::satisfaction_csv))
        .leptos_routes_with_context(&state, routes, provide.clone(), {
            let options = leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<ServerState, _>(provide, shell))
        .with_state(state)
        .layer(axum::middleware::from_fn_with_state(
            context.database.clone(),
            routes::analytics::count_consented_page_views,
        ))
        .layer(axum::middleware::from_fn(routes::server_function_errors::with_typed_status))
        .layer(axum::middleware::from_fn_with_state(limits::AbuseLimits::from_settings(settings), limits::enforce))
        .layer(axum::middleware::from_fn(security::page_policy));

    for layer in security::header_layers(settings.behind_tls()) {
        router = router.layer(layer);
    }
    router.layer(
        ServiceBuilder::new()
            .layer(SetRequestIdLayer::new(request_id.clone(), MakeRequestUuid))
            .layer(
                TraceLayer::new_for_http()
                    .make_span_with(|request: &Request<Body>| {
                        let id = request
                            .headers()
                            .get("x-request-id")
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or("-");
                        tracing::info_span!(
                            "request",
                            method = %request.method(),
                            // Never a survey link's token (a single-use secret).
                            path = %routes::analytics::without_secrets(request.uri().path()),
                            request_id = %id,
                        )
                    })
                    .on_response(DefaultOnResponse::new().level(Level::INFO)),
            )
            .layer(PropagateRequestIdLayer::new(request_id))
            .layer(CompressionLayer::new()),
    )
}

/// The app's routes, worked out once per process. Working them out sets a
/// process-global flag that stops resources from loading; a page rendered at that
/// moment by another server in the same process (as the integration tests run
/// them) waited forever for its data (leptos issue #4773).
fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<AxumRouteListing>> = std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}
