//! What the plain HTTP routes share: reading a multipart upload with its size
//! capped, the signed-in beneficiary of a request, the flash cookie that carries
//! a refusal back to a page, and a download's headers.

use app::{
    flash::{FLASH_COOKIE, FormFlash},
    preferences::request_cookie,
    session::session_cookie_name,
};
use awn_storage::{
    accounts::{self, BENEFICIARY},
    now_unix_seconds,
};
use axum::{
    extract::Multipart,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};

use crate::state::ServerState;

/// Why an upload was refused; the code is what the page shows a message for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UploadProblem {
    TooLarge,
    WrongType,
    Empty,
    TooMany,
    Failed,
}

impl UploadProblem {
    pub(crate) fn code(self) -> &'static str {
        match self {
            UploadProblem::TooLarge => "too_large",
            UploadProblem::WrongType => "wrong_type",
            UploadProblem::Empty => "empty",
            UploadProblem::TooMany => "too_many",
            UploadProblem::Failed => "failed",
        }
    }

    /// The field and the problem a staff upload form shows for this refusal.
    pub(crate) fn field_and_problem(self) -> (&'static str, app::forms::Problem) {
        use app::forms::Problem;
        match self {
            UploadProblem::TooLarge => ("file", Problem::FileTooLarge),
            UploadProblem::Empty => ("file", Problem::FileMissing),
            UploadProblem::WrongType => ("file", Problem::FileWrongType),
            UploadProblem::TooMany | UploadProblem::Failed => ("", Problem::Invalid),
        }
    }
}

pub(crate) struct Upload {
    pub file_name: String,
    pub bytes: Vec<u8>,
    /// The form's other fields, as typed.
    pub fields: Vec<(String, String)>,
}

impl Upload {
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
    }

    /// The id of the document staff asked for, if the upload answers one.
    pub(crate) fn asked(&self) -> Option<i64> {
        self.field("asked").and_then(|t| t.trim().parse().ok())
    }
}

pub(crate) async fn signed_in_beneficiary(state: &ServerState, headers: &HeaderMap) -> Option<i64> {
    let token = request_cookie(headers, session_cookie_name(state.behind_tls))?;
    match accounts::session_owner(&state.app.database, &token, now_unix_seconds()).await {
        Ok(Some(owner)) if owner.account_kind == BENEFICIARY => Some(owner.account_id),
        Ok(_) => None,
        Err(error) => {
            tracing::error!(%error, "session lookup");
            None
        }
    }
}

/// Reads the form: the file (at most `limit` bytes) and its other fields.
pub(crate) async fn read_upload(mut form: Multipart, limit: u64) -> Result<Upload, UploadProblem> {
    let mut upload = Upload { file_name: String::new(), bytes: Vec::new(), fields: Vec::new() };
    let mut saw_file = false;
    loop {
        let field = match form.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            // Most often the body limit: the file is far too large.
            Err(error) if error.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(UploadProblem::TooLarge),
            Err(_) => return Err(UploadProblem::Failed),
        };
        match field.name().map(str::to_owned).as_deref() {
            Some("file") => {
                // One document per upload: a second part would be glued onto the first.
                if saw_file {
                    return Err(UploadProblem::Failed);
                }
                saw_file = true;
                upload.file_name = field.file_name().unwrap_or_default().to_owned();
                let mut field = field;
                loop {
                    match field.chunk().await {
                        Ok(Some(chunk)) => {
                            if upload.bytes.len() as u64 + chunk.len() as u64 > limit {
                                return Err(UploadProblem::TooLarge);
                            }
                            upload.bytes.extend_from_slice(&chunk);
                        }
                        Ok(None) => break,
                        Err(error) if error.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                            return Err(UploadProblem::TooLarge);
                        }
                        Err(_) => return Err(UploadProblem::Failed),
                    }
                }
            }
            Some(name) => {
                // Small text fields only; anything else is not from our forms.
                let text = field.text().await.map_err(|_| UploadProblem::Failed)?;
                if text.len() > 16 * 1024 || upload.fields.len() >= 16 {
                    return Err(UploadProblem::Failed);
                }
                upload.fields.push((name.to_owned(), text));
            }
            None => {}
        }
    }
    if !saw_file || upload.bytes.is_empty() {
        return Err(UploadProblem::Empty);
    }
    Ok(upload)
}

/// A `Set-Cookie` for the flash, on `response`.
pub(crate) fn set_flash(state: &ServerState, response: &mut Response, flash: &FormFlash) {
    let secure = if state.behind_tls { "; Secure" } else { "" };
    let cookie = format!("{FLASH_COOKIE}={}; Path=/; Max-Age=120; HttpOnly; SameSite=Lax{secure}", flash.encode());
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}

/// A download of stored bytes under their file name, never cached.
pub(crate) fn attachment(bytes: Vec<u8>, content_type: &str, file_name: &str) -> Response {
    let encoded_name: String = form_urlencoded::byte_serialize(file_name.as_bytes()).collect();
    let disposition =
        format!("attachment; filename=\"document\"; filename*=UTF-8''{}", encoded_name.replace('+', "%20"));
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    response
}
