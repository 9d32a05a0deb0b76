//! The site's files: content-hashed bundle names cached for a year, 304 for a
//! browser that has the file, precompressed brotli and gzip, pages never cached.
//! Each test serves a small site of its own, laid out as `cargo leptos build`
//! with `hash-files` (and `--precompress`) leaves it.

use std::{io::Read, path::PathBuf};

use crate::helpers::{TestApp, spawn_app_with};

const JS: &str = "Jj0123456789abcdefgh_-";
const WASM: &str = "Ww0123456789abcdefgh_-";
const CSS: &str = "Cc0123456789abcdefgh_-";

/// Bytes that compress well, like the bundle.
fn stylesheet() -> Vec<u8> {
    ".page { margin: 0 auto; }\n".repeat(200).into_bytes()
}

fn brotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams { quality: 11, ..Default::default() };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).unwrap();
    out
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

struct Site {
    root: PathBuf,
    app: TestApp,
}

impl Drop for Site {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

/// A built site (hash file, hashed bundle, precompressed stylesheet, logo)
/// and a server for it.
async fn hashed_site() -> Site {
    let root = std::env::temp_dir().join(format!("awn-test-site-{}", uuid::Uuid::new_v4()));
    let pkg = root.join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(root.join("hash.txt"), format!("js: {JS}\nwasm: {WASM}\ncss: {CSS}\n")).unwrap();
    std::fs::write(pkg.join(format!("awn.{JS}.js")), "export default function () {}\n").unwrap();
    std::fs::write(pkg.join(format!("awn.{WASM}.wasm")), b"\0asm\x01\0\0\0").unwrap();
    let css = pkg.join(format!("awn.{CSS}.css"));
    std::fs::write(&css, stylesheet()).unwrap();
    std::fs::write(format!("{}.br", css.display()), brotli(&stylesheet())).unwrap();
    std::fs::write(format!("{}.gz", css.display()), gzip(&stylesheet())).unwrap();
    std::fs::write(pkg.join("awn.css"), "unhashed\n").unwrap();
    std::fs::write(root.join("logo.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n").unwrap();
    let site_root = root.clone();
    let app = spawn_app_with(move |settings| settings.site_root = site_root).await;
    Site { root, app }
}

fn header(response: &reqwest::Response, name: &str) -> String {
    response.headers().get(name).map(|value| value.to_str().unwrap().to_owned()).unwrap_or_default()
}

#[tokio::test]
async fn hashed_bundle_files_are_kept_a_year_and_pages_not_at_all() {
    let site = hashed_site().await;
    let app = &site.app;

    let response = app.get(&format!("/pkg/awn.{CSS}.css")).await;
    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "cache-control"), "public, max-age=31536000, immutable");
    assert!(header(&response, "content-type").starts_with("text/css"));
    // The security headers hold for files too.
    assert_eq!(header(&response, "x-content-type-options"), "nosniff");
    assert!(header(&response, "content-security-policy").contains("default-src 'self'"));
    assert_eq!(response.bytes().await.unwrap(), stylesheet());

    let wasm = app.get(&format!("/pkg/awn.{WASM}.wasm")).await;
    assert_eq!(header(&wasm, "cache-control"), "public, max-age=31536000, immutable");
    assert_eq!(header(&wasm, "content-type"), "application/wasm");

    // A bundle file without a hash may change under its name: always asked after.
    assert_eq!(header(&app.get("/pkg/awn.css").await, "cache-control"), "no-cache");
    // A public file: an hour, then asked after.
    let logo = app.get("/logo.svg").await;
    assert_eq!(logo.status(), 200);
    assert_eq!(header(&logo, "cache-control"), "public, max-age=3600, must-revalidate");

    // The page is never kept, and names the hashed files.
    let page = app.get("/").await;
    assert_eq!(page.status(), 200);
    assert_eq!(header(&page, "cache-control"), "no-store");
    let html = page.text().await.unwrap();
    for name in [format!("/pkg/awn.{CSS}.css"), format!("/pkg/awn.{JS}.js"), format!("/pkg/awn.{WASM}.wasm")] {
        assert!(html.contains(&name), "{name} in the page");
    }
    assert!(!html.contains("/pkg/awn.css"));

    // So does a small page the server writes itself (here: a path it refuses).
    let refused = app.get("/survey-answers/abc%00def").await;
    assert_eq!(refused.status(), 404);
    assert!(refused.text().await.unwrap().contains(&format!("/pkg/awn.{CSS}.css")));
}

#[tokio::test]
async fn a_browser_that_has_the_file_is_told_so_without_the_body() {
    let site = hashed_site().await;
    let app = &site.app;
    let path = format!("/pkg/awn.{CSS}.css");
    let first = app.get(&path).await;
    let etag = header(&first, "etag");
    let last_modified = header(&first, "last-modified");
    assert!(etag.starts_with("W/\""), "{etag}");
    assert!(!last_modified.is_empty());

    let send = |name: &'static str, value: String| app.client.get(app.url(&path)).header(name, value).send();
    for response in [send("if-none-match", etag.clone()).await, send("if-modified-since", last_modified.clone()).await]
    {
        let response = response.unwrap();
        assert_eq!(response.status(), 304);
        assert_eq!(header(&response, "cache-control"), "public, max-age=31536000, immutable");
        assert!(response.bytes().await.unwrap().is_empty());
    }
    // A validator for another version outranks the date: the file again.
    let changed = app
        .client
        .get(app.url(&path))
        .header("if-none-match", "W/\"1-2\"")
        .header("if-modified-since", last_modified)
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), 200);
    assert_eq!(changed.bytes().await.unwrap(), stylesheet());

    // The logo too.
    let logo = app.get("/logo.svg").await;
    let again = app.client.get(app.url("/logo.svg")).header("if-none-match", header(&logo, "etag")).send().await;
    assert_eq!(again.unwrap().status(), 304);
}

#[tokio::test]
async fn brotli_and_gzip_come_precompressed_and_plain_bytes_to_the_rest() {
    let site = hashed_site().await;
    let app = &site.app;
    let path = format!("/pkg/awn.{CSS}.css");
    let ask = |encoding: &'static str| app.client.get(app.url(&path)).header("accept-encoding", encoding).send();

    let br = ask("gzip, deflate, br").await.unwrap();
    assert_eq!(br.status(), 200);
    assert_eq!(header(&br, "content-encoding"), "br");
    assert!(header(&br, "vary").to_ascii_lowercase().contains("accept-encoding"));
    assert!(header(&br, "content-type").starts_with("text/css"));
    let bytes = br.bytes().await.unwrap();
    // The file made beforehand, not a compression made for this answer.
    assert_eq!(bytes, brotli(&stylesheet()));
    let mut decoded = Vec::new();
    brotli::BrotliDecompress(&mut &bytes[..], &mut decoded).unwrap();
    assert_eq!(decoded, stylesheet());

    let gz = ask("gzip").await.unwrap();
    assert_eq!(header(&gz, "content-encoding"), "gzip");
    assert!(header(&gz, "vary").to_ascii_lowercase().contains("accept-encoding"));
    let bytes = gz.bytes().await.unwrap();
    assert_eq!(bytes, gzip(&stylesheet()));
    let mut decoded = Vec::new();
    flate2::read::GzDecoder::new(&bytes[..]).read_to_end(&mut decoded).unwrap();
    assert_eq!(decoded, stylesheet());

    let plain = app.get(&path).await;
    assert_eq!(header(&plain, "content-encoding"), "");
    assert_eq!(plain.bytes().await.unwrap(), stylesheet());
}

#[tokio::test]
async fn a_missing_bundle_file_is_a_plain_404_and_a_missing_page_the_apps() {
    let site = hashed_site().await;
    let app = &site.app;
    for path in ["/pkg/awn.Xx0123456789abcdefgh_-.js", "/pkg/", &format!("/pkg/awn.{CSS}.css.br")] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 404, "{path}");
        assert!(!header(&response, "content-type").starts_with("text/html"), "{path}");
        assert_eq!(header(&response, "cache-control"), "no-store", "{path}");
    }
    // The hash file is the server's, not a public file.
    for path in ["/no/such/page", "/hash.txt", "/missing.svg"] {
        let (status, body) = app.page(path).await;
        assert_eq!(status, 404, "{path}");
        assert!(body.contains("الصفحة غير موجودة"), "{path}");
    }
}
