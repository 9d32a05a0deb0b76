//! The built site's files: the bundle under /pkg (content-hashed names kept by
//! browsers for a year), the public files at the root (logo, robots.txt), each
//! answered with its precompressed brotli or gzip copy when the browser takes
//! it, and with 304 to a browser that already has it. Everything else is the
//! app's (its localized not-found page).

use std::{
    future::Future,
    path::{Path, PathBuf},
    sync::Arc,
    time::UNIX_EPOCH,
};

use axum::{
    body::Body,
    extract::Request,
    http::{HeaderMap, HeaderValue, Method, StatusCode, header},
    response::{IntoResponse, Response},
};
use leptos::prelude::LeptosOptions;
use tower::ServiceExt;
use tower_http::services::ServeDir;

use app::page_scripts::PageAssets;

use crate::config::Settings;

/// Where cargo-leptos writes the bundle's hashes (`hash-file-name` in
/// Cargo.toml): in the site root, beside the files it names. Never served.
pub const HASH_FILE: &str = "hash.txt";

/// The bundle's output name (`name` in Cargo.toml).
const OUTPUT_NAME: &str = "awn";

/// A content-hashed file never changes under its name.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// A bundle file without a hash in its name (a build without `hash-files`): a
/// stale copy beside a newer page would break hydration, so always revalidate
/// (a 304 costs a round trip, not the file).
const REVALIDATE: &str = "no-cache";
/// The logo, robots.txt: an hour without asking again spares a phone a round
/// trip per page; after a deployment a changed logo shows within the hour.
const PUBLIC_FILE: &str = "public, max-age=3600, must-revalidate";

/// Leptos's options for this site. The bundle's hashed names are not among them:
/// no Leptos component of the shell reads them (the shell's names come from
/// [`page_assets`] and [`stylesheet_href`], read once).
pub fn leptos_options(settings: &Settings) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name(OUTPUT_NAME)
        .site_root(settings.site_root.display().to_string())
        .site_pkg_dir("pkg")
        .site_addr(settings.bind)
        .build()
}

/// The stylesheet's address: `/pkg/awn.<hash>.css` when the site is hashed.
/// For the app's pages (the shell) and the small pages the server writes itself.
pub fn stylesheet_href(site_root: &Path) -> String {
    match BuildHashes::read(site_root).of("css") {
        Some(hash) => format!("/pkg/{OUTPUT_NAME}.{hash}.css"),
        None => unhashed_stylesheet(),
    }
}

/// The hashes cargo-leptos wrote for the site's files (`css: <hash>` a line).
struct BuildHashes(String);

impl BuildHashes {
    /// The site's hash file; none (no hashed names) when it cannot be read.
    fn read(site_root: &Path) -> Self {
        BuildHashes(std::fs::read_to_string(site_root.join(HASH_FILE)).unwrap_or_default())
    }

    /// The hash of one kind of file (`css`, `js`, `wasm`, `manifest`), if well formed.
    fn of(&self, kind: &str) -> Option<String> {
        self.0.lines().find_map(|line| {
            let (found, hash) = line.split_once(':')?;
            (found.trim() == kind && is_hash(hash.trim())).then(|| hash.trim().to_owned())
        })
    }
}

/// The bundle's file names for the page's loader (`app::page_scripts`), read once
/// at start: the hashed names when the site has its hash file.
pub fn page_assets(site_root: &Path) -> PageAssets {
    let hashes = BuildHashes::read(site_root);
    if hashes.0.is_empty() {
        tracing::info!(site_root = %site_root.display(), "the site has no hash file: unhashed bundle names");
    }
    let named = |hash: Option<String>| match hash {
        Some(hash) => format!("{OUTPUT_NAME}.{hash}"),
        None => OUTPUT_NAME.to_owned(),
    };
    // Without hashes cargo-leptos names the files `awn.js` and `awn.wasm`.
    PageAssets { pkg: "/pkg".into(), js: named(hashes.of("js")).into(), wasm: named(hashes.of("wasm")).into() }
}

/// The stylesheet's address in a site built without hashed names.
fn unhashed_stylesheet() -> String {
    format!("/pkg/{OUTPUT_NAME}.css")
}

/// The stylesheet's address, carried by every request (see `startup::router`)
/// to the small pages written outside the app.
#[derive(Clone)]
pub struct Stylesheet(pub Arc<str>);

impl Stylesheet {
    /// The request's stylesheet; the unhashed name if none was set.
    pub fn of(extensions: &axum::http::Extensions) -> Arc<str> {
        extensions
            .get::<Stylesheet>()
            .map(|stylesheet| stylesheet.0.clone())
            .unwrap_or_else(|| Arc::from(unhashed_stylesheet()))
    }
}

/// cargo-leptos's hash: MD5 in unpadded base64url, 22 characters.
fn is_hash(text: &str) -> bool {
    text.len() == 22 && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// `awn.<hash>.wasm`, `__wasm_split.<hash>.js`: the part before the extension is a hash.
fn is_hashed_name(name: &str) -> bool {
    let mut parts = name.rsplit('.');
    let (_extension, hash) = (parts.next(), parts.next());
    parts.next().is_some() && hash.is_some_and(is_hash)
}

/// The site's files, served from its root.
#[derive(Clone)]
pub struct StaticFiles {
    root: PathBuf,
    files: ServeDir,
}

/// Which files a path may name.
enum Place {
    /// Under /pkg: the bundle; a missing one is a plain 404.
    Bundle,
    /// A public file at the root; a missing one is the app's.
    Root,
}

impl StaticFiles {
    pub fn new(root: &Path) -> Self {
        let files = ServeDir::new(root)
            .precompressed_br()
            .precompressed_gzip()
            // A folder is no file: the app answers for it.
            .append_index_html_on_directories(false);
        StaticFiles { root: root.to_path_buf(), files }
    }

    /// The file at `path`, if it names one that may be served. Only plain names
    /// (letters, digits, `.`, `_`, `-`, no leading dot), so nothing outside the
    /// site, no hidden file, no hash file, no compressed copy asked by its own name.
    fn file_for(&self, path: &str) -> Option<(Place, PathBuf)> {
        let (place, rest) = match path.strip_prefix("/pkg/") {
            Some(rest) => (Place::Bundle, rest),
            None => (Place::Root, path.strip_prefix('/')?),
        };
        let segments: Vec<&str> = rest.split('/').collect();
        let plain = |segment: &&str| {
            !segment.is_empty()
                && !segment.starts_with('.')
                && segment.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
        };
        if !segments.iter().all(plain) || matches!(place, Place::Root) && segments.len() != 1 {
            return None;
        }
        let name = segments.last()?;
        if name.ends_with(".br") || name.ends_with(".gz") || matches!(place, Place::Root) && *name == HASH_FILE {
            return None;
        }
        let base = match place {
            Place::Bundle => self.root.join("pkg"),
            Place::Root => self.root.clone(),
        };
        Some((place, segments.iter().fold(base, |path, segment| path.join(segment))))
    }

    /// Answers `request` with a file of the site; anything else goes to `app`
    /// (a missing bundle file is a plain 404: never a page where a script was asked for).
    pub async fn serve<F>(&self, request: Request, app: impl FnOnce(Request) -> F) -> Response
    where
        F: Future<Output = Response>,
    {
        let path = request.uri().path().to_owned();
        let found = self.file_for(&path);
        let metadata = match &found {
            Some((_, file)) => tokio::fs::metadata(file).await.ok().filter(|metadata| metadata.is_file()),
            None => None,
        };
        let (Some((place, _)), Some(metadata)) = (found, metadata) else {
            if path.starts_with("/pkg/") {
                return (StatusCode::NOT_FOUND, "not found").into_response();
            }
            return app(request).await;
        };
        let cache_control = match place {
            Place::Bundle if path.rsplit('/').next().is_some_and(is_hashed_name) => IMMUTABLE,
            Place::Bundle => REVALIDATE,
            Place::Root => PUBLIC_FILE,
        };
        let etag = etag(&metadata);
        let reading = matches!(*request.method(), Method::GET | Method::HEAD);
        let mut request = request;
        if reading && let Some(etag) = &etag {
            match if_none_match(request.headers(), etag) {
                Some(true) => return validators(StatusCode::NOT_MODIFIED.into_response(), cache_control, Some(etag)),
                // A validator that does not match outranks the date (RFC 9110, 13.2.2).
                Some(false) => {
                    request.headers_mut().remove(header::IF_MODIFIED_SINCE);
                }
                None => {}
            }
        }
        let response = match self.files.clone().oneshot(request).await {
            Ok(response) => response.map(Body::new),
            Err(never) => match never {},
        };
        if matches!(response.status(), StatusCode::OK | StatusCode::PARTIAL_CONTENT | StatusCode::NOT_MODIFIED) {
            validators(response, cache_control, etag.as_ref())
        } else {
            response
        }
    }
}

/// A weak validator from the file's size and modification time: the same for
/// its brotli, gzip and plain forms, which are the same file to the reader.
fn etag(metadata: &std::fs::Metadata) -> Option<HeaderValue> {
    let modified = metadata.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
    HeaderValue::from_str(&format!("W/\"{:x}-{:x}\"", metadata.len(), modified.as_nanos())).ok()
}

/// Whether `If-None-Match` names `etag` (weak comparison); None without the header.
fn if_none_match(headers: &HeaderMap, etag: &HeaderValue) -> Option<bool> {
    let opaque = |tag: &str| tag.trim().trim_start_matches("W/").to_owned();
    let ours = opaque(etag.to_str().ok()?);
    let mut values = headers.get_all(header::IF_NONE_MATCH).iter().peekable();
    values.peek()?;
    Some(values.filter_map(|value| value.to_str().ok()).flat_map(|value| value.split(',')).any(|tag| {
        let tag = tag.trim();
        tag == "*" || opaque(tag) == ours
    }))
}

/// The headers that let a browser keep a file and ask after it cheaply.
fn validators(mut response: Response, cache_control: &'static str, etag: Option<&HeaderValue>) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache_control));
    if let Some(etag) = etag {
        headers.insert(header::ETAG, etag.clone());
    }
    // The same address answers brotli, gzip or plain bytes: caches must keep them apart.
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_cargo_leptos_hashes_count_as_hashed_names() {
        assert!(is_hashed_name("awn.Gk3pX0aZ_b-1cQwErTyUiO.wasm"));
        assert!(!is_hashed_name("awn.wasm"));
        assert!(!is_hashed_name("awn_bg.wasm"));
        assert!(!is_hashed_name("Gk3pX0aZ_b-1cQwErTyUiO.js"));
        assert!(!is_hashed_name("awn.short.css"));
    }

    #[test]
    fn the_page_loader_gets_the_hashed_names_read_once() {
        let site = std::env::temp_dir().join(format!("awn-assets-{}", std::process::id()));
        std::fs::create_dir_all(site.join("pkg")).expect("a folder");
        std::fs::write(
            site.join(HASH_FILE),
            "js: Q9B-6Jol48keobfmh2179Q\nwasm: cR1QV8I3EsEoJf_V3-fCsA\ncss: x\"</script>\n",
        )
        .expect("hashes");
        let assets = page_assets(&site);
        assert_eq!((&*assets.js, &*assets.wasm), ("awn.Q9B-6Jol48keobfmh2179Q", "awn.cR1QV8I3EsEoJf_V3-fCsA"));

        // A site built without hashes: cargo-leptos's plain names.
        std::fs::remove_file(site.join(HASH_FILE)).expect("removed");
        let plain = page_assets(&site);
        assert_eq!((&*plain.js, &*plain.wasm), ("awn", "awn"));
        let _ = std::fs::remove_dir_all(&site);
    }

    #[test]
    fn only_plain_names_inside_the_site_are_files() {
        let files = StaticFiles::new(Path::new("/site"));
        let file = |path: &str| files.file_for(path).map(|(_, file)| file.display().to_string());
        assert_eq!(file("/pkg/awn.css").as_deref(), Some("/site/pkg/awn.css"));
        assert_eq!(file("/pkg/snippets/x/y.js").as_deref(), Some("/site/pkg/snippets/x/y.js"));
        assert_eq!(file("/logo.svg").as_deref(), Some("/site/logo.svg"));
        for refused in [
            "/",
            "/pkg/",
            "/pkg/../secret",
            "/pkg/%2e%2e/x",
            "/pkg/.hidden",
            "/pkg/awn.wasm.br",
            "/hash.txt",
            "/staff/requests",
            "/a//b",
        ] {
            assert_eq!(file(refused), None, "{refused}");
        }
    }

    #[test]
    fn if_none_match_compares_weakly_and_knows_the_star() {
        let etag = HeaderValue::from_static("W/\"10-20\"");
        let headers = |value: &'static str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::IF_NONE_MATCH, HeaderValue::from_static(value));
            headers
        };
        assert_eq!(if_none_match(&HeaderMap::new(), &etag), None);
        assert_eq!(if_none_match(&headers("W/\"10-20\""), &etag), Some(true));
        assert_eq!(if_none_match(&headers("\"1-2\", \"10-20\""), &etag), Some(true));
        assert_eq!(if_none_match(&headers("*"), &etag), Some(true));
        assert_eq!(if_none_match(&headers("\"10-21\""), &etag), Some(false));
    }
}
