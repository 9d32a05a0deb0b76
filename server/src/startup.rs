//! Building the application and running it until it is told to stop.

use std::{future::Future, net::SocketAddr, path::PathBuf, sync::Arc, time::Duration};

use app::{
    app::{App, shell},
    state::{AppContext, UiSettings},
};
use awn_storage::{Database, StorageError};
use axum::{
    Router,
    body::Body,
    extract::DefaultBodyLimit,
    http::{HeaderName, Request, StatusCode},
    routing::{get, post},
};
use leptos::prelude::*;
use leptos_axum::{AxumRouteListing, LeptosRoutes, generate_route_list};
use tokio::net::TcpListener;
use tower::ServiceBuilder;
use tower_http::{
    compression::CompressionLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    timeout::{RequestBodyTimeoutLayer, TimeoutLayer},
    trace::{DefaultOnResponse, TraceLayer},
};
use tracing::Level;

use crate::{
    config::{Environment, Settings},
    limits::{self, ConnectionLimits},
    notifications::{Adapters, HttpSmsGateway, LogAdapter, OutboxWorker, SmtpMailer, spawn_worker},
    routes,
    scheduler::{Scheduler, spawn_scheduler},
    security,
    state::ServerState,
    static_files::{self, StaticFiles, Stylesheet},
};

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("cannot open the database: {0}")]
    Database(#[from] StorageError),
    #[error("cannot listen on {address}: {source}")]
    Bind { address: SocketAddr, source: std::io::Error },
    #[error("notification settings: {0}")]
    Notifications(String),
    #[error("refusing to serve: {0}")]
    Unsafe(String),
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

/// Files and folders this process creates are its user's only (umask 077): the
/// database, its WAL, backups, documents, the key file. Process-wide; called
/// first thing by `main`, and again (harmlessly) when an application is built.
pub fn owner_only_files() {
    #[cfg(unix)]
    rustix::process::umask(rustix::fs::Mode::from_raw_mode(0o077));
}

/// Takes group and other permissions off a file or folder Awn made, whatever
/// the umask was when it was made (an install from before, a tool run by hand).
pub fn make_owner_only(path: &std::path::Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)?.permissions().mode();
        if mode & 0o077 != 0 {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode & 0o700))?;
        }
    }
    Ok(())
}

/// The data directory and its database files, owner-only (an install from
/// before umask 077 made them readable by everyone).
fn tighten_data_dir(settings: &Settings) {
    // The data directory itself only when it is a folder of its own (not "." or "/").
    let mut paths: Vec<PathBuf> =
        settings.data_dir.file_name().map(|_| settings.data_dir.clone()).into_iter().collect();
    if settings.database_url.is_none() {
        let database = settings.data_dir.join("awn.db");
        paths.extend(["", "-wal", "-shm"].map(|suffix| PathBuf::from(format!("{}{suffix}", database.display()))));
    }
    paths.push(settings.data_dir.join("documents"));
    for path in paths.iter().filter(|path| path.exists()) {
        if let Err(error) = make_owner_only(path) {
            tracing::warn!(path = %path.display(), %error, "cannot make owner-only");
        }
    }
}

/// An install from before the key file left the data directory: its key file
/// (and the copy a rotation keeps) moves to the new default place, once.
fn move_legacy_key_file(settings: &Settings) -> Result<(), StorageError> {
    let (Some(legacy), None) = (settings.legacy_data_key_path(), settings.data_keys.as_deref()) else { return Ok(()) };
    let target = settings.data_key_path();
    if target.exists() || !legacy.exists() {
        return Ok(());
    }
    let failed = |e: std::io::Error| {
        StorageError::Invalid(format!("moving the data key file {} to {}: {e}", legacy.display(), target.display()))
    };
    if let Some(folder) = target.parent() {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(folder).map_err(failed)?;
    }
    for (from, to) in
        [(legacy.with_extension("previous"), target.with_extension("previous")), (legacy.clone(), target.clone())]
    {
        if !from.exists() {
            continue;
        }
        // A rename within one file system; a copy (then removal) across two.
        if std::fs::rename(&from, &to).is_err() {
            std::fs::copy(&from, &to).map_err(failed)?;
            make_owner_only(&to).map_err(failed)?;
            std::fs::remove_file(&from).map_err(failed)?;
        }
    }
    tracing::warn!(
        from = %legacy.display(),
        to = %target.display(),
        "the data key file moved out of the data directory (a copy of that directory must not carry its keys); \
         keep it out of backups of the data directory"
    );
    Ok(())
}

/// Opens the database, applies migrations and publishes the first privacy-policy
/// version if there is none; loads demo data when asked.
pub async fn prepare_database(settings: &Settings) -> Result<Database, StorageError> {
    let database = prepare_database_without_keys(settings).await?;
    tighten_data_dir(settings);
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
/// check, backup): they run without the data key file.
pub async fn prepare_database_without_keys(settings: &Settings) -> Result<Database, StorageError> {
    // Every command, so `rotate-data-key` finds the file where it now lives.
    move_legacy_key_file(settings)?;
    let database = Database::connect(&settings.database_url()).await?;
    database.migrate().await?;
    awn_storage::privacy_policy::ensure_initial_version(&database).await?;
    // The committee's period starts as configured; admins change it at /staff/calendar.
    awn_storage::clocks::seed_decision_period(&database, settings.decision_period_days).await?;
    let keyed = awn_storage::duplicates::backfill_name_keys(&database).await?;
    if keyed > 0 {
        tracing::info!(keyed, "names of earlier requests keyed for the duplicate finder");
    }
    let searchable = awn_storage::casework::backfill_search_keys(&database).await?;
    if searchable > 0 {
        tracing::info!(searchable, "earlier requests keyed for the queue's search");
    }
    let started = awn_storage::clocks::backfill(&database).await?;
    if started > 0 {
        tracing::info!(started, "deadline clocks started for items that were already open");
    }
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
    limits: ConnectionLimits,
    worker: OutboxWorker,
    /// None when this server's scheduler is turned off.
    scheduler: Option<Scheduler>,
    page_views: routes::analytics::PageViews,
}

impl Application {
    pub async fn build(settings: &Settings) -> Result<Self, StartupError> {
        if let Some(problem) = settings.serving_problem() {
            return Err(StartupError::Unsafe(problem));
        }
        owner_only_files();
        let database = prepare_database(settings).await?;
        let listener = TcpListener::bind(settings.bind)
            .await
            .map_err(|source| StartupError::Bind { address: settings.bind, source })?;
        let (router, page_views) = router_and_page_views(settings, database.clone());
        let worker = OutboxWorker {
            database: database.clone(),
            adapters: delivery_adapters(settings)?,
            poll_interval: Duration::from_millis(settings.outbox_poll_ms),
            // Development keeps bodies (encrypted) for /dev/outbox, where people
            // trying Awn, and the browser journeys, read their sign-in codes.
            finished_body: match settings.environment {
                Environment::Development => awn_storage::outbox::FinishedBody::Keep,
                Environment::Production => awn_storage::outbox::FinishedBody::Blank,
            },
            retention: Duration::from_secs(settings.outbox_retention_days * 86_400),
            housekeeping_interval: Duration::from_secs(settings.audit_head_minutes * 60),
        };
        let scheduler = (settings.scheduler_tick_seconds > 0)
            .then(|| Scheduler::new(database.clone(), Duration::from_secs(settings.scheduler_tick_seconds)));
        Ok(Application {
            listener,
            router,
            database,
            grace: Duration::from_secs(settings.shutdown_grace_seconds),
            limits: ConnectionLimits::from_settings(settings),
            worker,
            scheduler,
            page_views,
        })
    }

    /// The database the application uses.
    pub fn database(&self) -> &Database {
        &self.database
    }

    /// The page-view counter the router writes through (tests wait on its
    /// [`settled`](routes::analytics::PageViews::settled)).
    pub fn page_views(&self) -> &routes::analytics::PageViews {
        &self.page_views
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
        let scheduler = self.scheduler.map(spawn_scheduler);
        let result = serve_with(self.listener, self.router, shutdown, self.grace, self.limits).await;
        // Undelivered messages stay in the outbox for the next start (or another server).
        worker.abort();
        // A run cut short leaves its lease to expire; what it had not sent is sent by the next.
        if let Some(scheduler) = scheduler {
            scheduler.abort();
        }
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
    serve_with(listener, router, shutdown, grace, ConnectionLimits::default()).await
}

/// [`serve`] with the connection limits. HTTP/1.1 through hyper directly
/// (`axum::serve` has no header-read timeout); every request carries the
/// client's address as `ConnectInfo<SocketAddr>`.
pub async fn serve_with(
    listener: TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
    grace: Duration,
    limits: ConnectionLimits,
) -> std::io::Result<()> {
    let (stopping_tx, stopping_rx) = tokio::sync::oneshot::channel::<()>();
    let accepting = async move {
        let graceful = hyper_util::server::graceful::GracefulShutdown::new();
        let slots = Arc::new(tokio::sync::Semaphore::new(limits.max_connections.max(1)));
        let mut builder = hyper::server::conn::http1::Builder::new();
        builder.timer(hyper_util::rt::TokioTimer::new()).header_read_timeout(limits.header_read_timeout);
        let mut shutdown = std::pin::pin!(shutdown);
        loop {
            // A free slot first, then a connection: at the cap, newcomers wait in the backlog.
            let slot = tokio::select! {
                slot = slots.clone().acquire_owned() => match slot {
                    Ok(slot) => slot,
                    Err(_) => break,
                },
                () = &mut shutdown => break,
            };
            let (stream, remote) = tokio::select! {
                accepted = listener.accept() => match accepted {
                    Ok(accepted) => accepted,
                    Err(error) => {
                        // Out of descriptors and the like: pause rather than spin.
                        tracing::warn!(%error, "cannot accept a connection");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                        continue;
                    }
                },
                () = &mut shutdown => break,
            };
            // Small answers go out at once rather than waiting to fill a packet.
            let _ = stream.set_nodelay(true);
            let router = router.clone();
            let service = hyper::service::service_fn(move |mut request: hyper::Request<hyper::body::Incoming>| {
                request.extensions_mut().insert(axum::extract::ConnectInfo(remote));
                tower::ServiceExt::oneshot(router.clone(), request.map(Body::new))
            });
            let connection = builder.serve_connection(hyper_util::rt::TokioIo::new(stream), service);
            let connection = graceful.watch(connection);
            tokio::spawn(async move {
                let _slot = slot;
                if let Err(error) = connection.await {
                    tracing::debug!(%error, "connection ended with an error");
                }
            });
        }
        drop(listener);
        tracing::info!("shutting down: finishing in-flight requests");
        let _ = stopping_tx.send(());
        graceful.shutdown().await;
        Ok::<(), std::io::Error>(())
    };
    let server = tokio::spawn(accepting);
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

/// The whole HTTP stack: Leptos pages and server functions, static files, probes,
/// preference links; wrapped in request ids, tracing, security headers, compression.
pub fn router(settings: &Settings, database: Database) -> Router {
    router_and_page_views(settings, database).0
}

/// [`router`] and the page-view counter inside it.
fn router_and_page_views(settings: &Settings, database: Database) -> (Router, routes::analytics::PageViews) {
    let leptos_options = static_files::leptos_options(settings);
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
            staff_session: settings.staff_session(),
            beneficiary_session: settings.beneficiary_session(),
            sms_budget_per_hour: settings.sms_budget_per_hour,
            submissions_per_day: settings.submissions_per_day,
        }),
        documents,
        home_content: Arc::default(),
    };
    let state = ServerState::new(leptos_options.clone(), context.clone(), settings.behind_tls());
    let routes = route_list();
    let page_patterns: Vec<String> = routes.iter().map(|route| route.path().to_owned()).collect();
    let page_views = routes::analytics::PageViews::new(context.database.clone(), page_patterns);
    // The closures below are cloned with their route for every request: each holds
    // one `Arc` (the state, the document's names), never the context field by field.
    let provide = {
        let state = state.clone();
        move || {
            provide_context(state.app.clone());
            // The page's inline scripts carry the nonce the policy header names.
            let nonce = use_context::<http::request::Parts>()
                .and_then(|parts| parts.extensions.get::<security::ResponseNonce>().cloned());
            if let Some(security::ResponseNonce(nonce)) = nonce {
                provide_context(nonce);
            }
        }
    };

    let edge = security::EdgePolicy::new(
        &settings.public_base_url,
        settings.environment == Environment::Development,
        settings.default_locale,
    );
    let load_limits = security::LoadLimits::new(
        usize::try_from(settings.max_concurrent_requests).unwrap_or(usize::MAX),
        usize::try_from(settings.max_concurrent_uploads).unwrap_or(usize::MAX),
        edge.clone(),
    );
    let request_id = HeaderName::from_static("x-request-id");
    let stylesheet: Arc<str> = static_files::stylesheet_href(&settings.site_root).into();
    let assets = static_files::page_assets(&settings.site_root);
    let document = Arc::new((stylesheet.clone(), assets));
    let mut router = Router::new();
    if settings.environment == Environment::Development {
        router = router
            .route("/dev/outbox", get(routes::dev_outbox::dev_outbox))
            .route("/dev/scheduler/run", post(routes::dev_scheduler::dev_run));
    }
    let mut router = router
        .route("/healthz", get(routes::health::healthz))
        .route("/readyz", get(routes::health::readyz))
        .route("/preferences/language/{tag}", get(routes::preferences::set_language))
        .route("/preferences/digits/{code}", get(routes::preferences::set_digits))
        .route(
            "/uploads/draft",
            // Room for the form around the file; the file itself is capped while read.
            post(routes::documents::upload_to_draft)
                .layer(DefaultBodyLimit::max(max_upload_bytes as usize + 64 * 1024)),
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
        .route("/staff/data-requests/{id}/export.json", get(routes::staff_files::party_data_export))
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
            let document = document.clone();
            move || shell(document.0.clone(), document.1.clone())
        })
        .fallback({
            // The site's files, else the app (its localized not-found page).
            let files = StaticFiles::new(&settings.site_root);
            let render = {
                let state = state.clone();
                let document = document.clone();
                leptos_axum::render_app_async_with_context(
                    move || {
                        provide_context(state.clone());
                        provide();
                    },
                    move || shell(document.0.clone(), document.1.clone()),
                )
            };
            move |request: axum::extract::Request| {
                let (files, render) = (files.clone(), render.clone());
                async move { files.serve(request, render).await }
            }
        })
        .with_state(state.clone())
        // Innermost: a kept page is still counted, checked and given its headers and nonce.
        .layer(axum::middleware::from_fn_with_state(
            Arc::new(crate::page_cache::PublicPageCache::default()),
            crate::page_cache::keep_public_pages,
        ))
        // A volunteer account's password is shown by the answer to a plain post, never put in a cookie.
        .layer(axum::middleware::from_fn_with_state(state, routes::volunteer_account::plain_account_post))
        .layer(axum::middleware::from_fn_with_state(page_views.clone(), routes::analytics::count_consented_page_views))
        .layer(axum::middleware::from_fn(routes::server_function_errors::with_typed_status))
        // Before any page code runs (and audits a read): a link from another site.
        .layer(axum::middleware::from_fn_with_state(edge.clone(), security::confirm_cross_site_staff_links))
        .layer(axum::middleware::from_fn_with_state(edge.clone(), security::refuse_cross_site))
        .layer(axum::middleware::from_fn_with_state(edge.clone(), security::refuse_control_characters))
        .layer(axum::middleware::from_fn_with_state(limits::AbuseLimits::from_settings(settings), limits::enforce))
        .layer(axum::middleware::from_fn(security::page_policy))
        .layer(axum::middleware::from_fn(security::no_store))
        .layer(axum::middleware::from_fn_with_state(load_limits, security::shed_load))
        // For the small pages written outside the app (they name the stylesheet).
        .layer(axum::Extension(Stylesheet(stylesheet)));

    for layer in security::header_layers(settings.behind_tls()) {
        router = router.layer(layer);
    }
    let router = router.layer(
        ServiceBuilder::new()
            .layer(SetRequestIdLayer::new(request_id.clone(), MakeRequestUuid))
            .layer(
                TraceLayer::new_for_http()
                    .make_span_with(|request: &Request<Body>| {
                        let id = request.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
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
            .layer(CompressionLayer::new())
            // A request slower than this in all is answered 408; a body that
            // stalls between two pieces is dropped.
            .layer(TimeoutLayer::with_status_code(
                StatusCode::REQUEST_TIMEOUT,
                Duration::from_secs(settings.request_timeout_seconds),
            ))
            .layer(RequestBodyTimeoutLayer::new(Duration::from_secs(settings.body_timeout_seconds))),
    );
    (router, page_views)
}

/// The app's routes, worked out once per process. Working them out sets a
/// process-global flag that stops resources from loading; a page rendered at that
/// moment by another server in the same process (as the integration tests run
/// them) waited forever for its data (leptos issue #4773).
fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<AxumRouteListing>> = std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}
