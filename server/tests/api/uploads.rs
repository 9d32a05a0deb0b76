//! Document uploads: by content, within the size limit, only one's own.

use sqlx::Row;

use crate::helpers::{spawn_app, spawn_app_with};

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00";

fn pdf_of(size: usize) -> Vec<u8> {
    let mut bytes = b"%PDF-1.7\n".to_vec();
    bytes.resize(size, b' ');
    bytes
}

#[tokio::test]
async fn a_photo_is_added_to_the_draft_and_can_be_downloaded_by_its_owner_only() {
    let app = spawn_app().await;
    let browser = app.signed_in("0501234567").await;
    let (status, location) = browser.upload("/uploads/draft", "../../هوية.png", PNG.to_vec(), None).await;
    assert_eq!(status, 303);
    assert_eq!(location, "/requests/new");

    let row = sqlx::query("SELECT id, file_name, content_type, size_bytes, request_id FROM documents")
        .fetch_one(app.database.pool())
        .await
        .unwrap();
    let id: i64 = row.get("id");
    assert_eq!(row.get::<String, _>("file_name"), "هوية.png", "no path parts");
    assert_eq!(row.get::<String, _>("content_type"), "image/png");
    assert_eq!(row.get::<i64, _>("size_bytes"), PNG.len() as i64);
    assert_eq!(row.get::<Option<i64>, _>("request_id"), None);

    let response = browser.client.get(browser.url(&format!("/documents/{id}"))).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.headers()["content-type"], "image/png");
    assert!(response.headers()["content-disposition"].to_str().unwrap().starts_with("attachment"));
    assert_eq!(response.bytes().await.unwrap().as_ref(), PNG);

    let stranger = app.signed_in("0559998888").await;
    let response = stranger.client.get(stranger.url(&format!("/documents/{id}"))).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 404);
    let response = app.browser().client.get(app.url(&format!("/documents/{id}"))).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 404);
}

#[tokio::test]
async fn a_disguised_file_is_refused_with_a_message() {
    let app = spawn_app().await;
    let browser = app.signed_in("0501234567").await;
    let (status, location) =
        browser.upload("/uploads/draft", "invoice.pdf", b"MZ\x90\x00\x03 this is an exe".to_vec(), None).await;
    assert_eq!((status, location.as_str()), (303, "/requests/new"));
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM documents").fetch_one(app.database.pool()).await.unwrap();
    assert_eq!(count, 0);
    let (_, page) = browser.page("/requests/new").await;
    assert!(page.contains("نوع الملف غير مقبول"), "{page}");
}

#[tokio::test]
async fn an_oversized_file_is_refused_with_a_message_not_an_error_page() {
    let app = spawn_app_with(|settings| settings.max_upload_mb = 1).await;
    let browser = app.signed_in("0501234567").await;
    // Just over the limit: caught while reading.
    let (status, _) = browser.upload("/uploads/draft", "big.pdf", pdf_of(1024 * 1024 + 10), None).await;
    assert_eq!(status, 303);
    let (_, page) = browser.page("/requests/new").await;
    assert!(page.contains("الملف أكبر من الحجم المسموح به"), "{page}");
    // Far over it: the body limit stops it.
    let (status, _) = browser.upload("/uploads/draft", "huge.pdf", pdf_of(3 * 1024 * 1024), None).await;
    assert_eq!(status, 303);
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM documents").fetch_one(app.database.pool()).await.unwrap();
    assert_eq!(count, 0);
    // Exactly at the limit is fine.
    let (status, _) = browser.upload("/uploads/draft", "ok.pdf", pdf_of(1024 * 1024), None).await;
    assert_eq!(status, 303);
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM documents").fetch_one(app.database.pool()).await.unwrap();
    assert_eq!(count, 1);
}

#[tokio::test]
async fn uploading_to_someone_elses_request_is_not_found_and_signed_out_goes_to_sign_in() {
    let app = spawn_app().await;
    let owner = app.signed_in("0501234567").await;
    owner.upload("/uploads/draft", "a.png", PNG.to_vec(), None).await;
    let stranger = app.signed_in("0559998888").await;
    let (status, _) = stranger.upload("/uploads/requests/1", "a.png", PNG.to_vec(), None).await;
    assert_eq!(status, 404);
    let (status, location) = app.browser().upload("/uploads/draft", "a.png", PNG.to_vec(), None).await;
    assert_eq!((status, location.as_str()), (303, "/sign-in"));
}

#[tokio::test]
async fn an_uploaded_document_is_encrypted_on_disk_and_read_back_whole() {
    let data_dir = std::env::temp_dir().join(format!("awn-test-encrypted-{}", uuid::Uuid::new_v4().simple()));
    let dir = data_dir.clone();
    let app = spawn_app_with(move |settings| settings.data_dir = dir).await;
    let browser = app.signed_in("0501234568").await;
    let (status, _) = browser.upload("/uploads/draft", "هوية.png", PNG.to_vec(), None).await;
    assert_eq!(status, 303);
    let row = sqlx::query("SELECT id, storage_key FROM documents").fetch_one(app.database.pool()).await.unwrap();
    let key: String = row.get("storage_key");
    let on_disk = std::fs::read(data_dir.join("documents").join(&key[..2]).join(&key)).expect("the stored file");
    assert!(!on_disk.starts_with(b"\x89PNG"), "the file on disk is not the plain image");
    assert!(!on_disk.windows(4).any(|w| w == b"IHDR"));
    let response =
        browser.client.get(browser.url(&format!("/documents/{}", row.get::<i64, _>("id")))).send().await.unwrap();
    assert_eq!(response.bytes().await.unwrap().as_ref(), PNG);
    // The key file sits beside the data directory: not in the database, and not
    // in a copy of the data directory.
    let mut settings = server::config::Settings::defaults();
    settings.data_dir = data_dir.clone();
    let key_file = settings.data_key_path();
    assert!(key_file.exists() && !key_file.starts_with(&data_dir), "{}", key_file.display());
    assert!(!data_dir.join("data-keys.json").exists());
    // The document and its folders are the server user's only (umask 077).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let stored = data_dir.join("documents").join(&key[..2]).join(&key);
        for path in [stored.clone(), stored.parent().unwrap().to_path_buf(), data_dir.join("documents")] {
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "{} is {mode:o}", path.display());
        }
    }
    let _ = std::fs::remove_dir_all(&data_dir);
    let _ = std::fs::remove_dir_all(key_file.parent().unwrap());
}
