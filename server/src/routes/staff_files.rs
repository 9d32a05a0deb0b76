//! Files in and out of the staff workspace that are not server functions:
//! library versions (multipart upload, download) and report downloads (CSV,
//! XLSX). Each handler asks the same permission check as the server functions
//! (`app::application::access::require`) before anything else.

use app::{
    application::{
        access::{Authorized, Capability, can, require},
        consent, library, personal_data,
        reports::{DeadlineExport, deadline_export, request_report},
    },
    error::AppError,
    forms::{FormProblem, Problem, SHARING_CONSENT_FORM, UPLOAD_VERSION_FORM},
    preferences::request_cookie,
    session::session_cookie_name,
};
use awn_domain::locale::Language;
use awn_storage::now_unix_seconds;
use axum::{
    extract::{Multipart, Path, Query, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;

use super::support::{attachment, read_upload, set_flash};
use crate::state::ServerState;

/// The signed-in staff member allowed `permission`, or the response that refuses.
async fn staff_allowed<C: Capability>(state: &ServerState, headers: &HeaderMap) -> Result<Authorized<C>, Response> {
    let token = request_cookie(headers, session_cookie_name(state.behind_tls));
    match require::<C>(&state.app.database, token.as_deref()).await {
        Ok(account) => Ok(account),
        Err(AppError::StaffSignInRequired) => Err(Redirect::to("/staff/sign-in").into_response()),
        Err(AppError::Forbidden | AppError::PolicyNotAccepted) => Err(StatusCode::FORBIDDEN.into_response()),
        Err(error) => {
            tracing::error!(%error, "staff check");
            Err(StatusCode::SERVICE_UNAVAILABLE.into_response())
        }
    }
}

/// GET /staff/documents/{id}: a beneficiary's document for staff who may open
/// their file, audited before it is sent (a request's documents, to verify
/// them: A10; a signed consent form: B7).
pub async fn download_document(
    State(state): State<ServerState>,
    Path(document_id): Path<i64>,
    headers: HeaderMap,
) -> Response {
    let staff = match staff_allowed::<can::ViewBeneficiaryFile>(&state, &headers).await {
        Ok(staff) => staff,
        Err(refusal) => return refusal,
    };
    let purpose = personal_data::PURPOSE_CASEWORK;
    let document = match personal_data::document(&state.app.database, &staff, document_id, purpose).await {
        Ok(document) => document,
        Err(AppError::NotFound) => return StatusCode::NOT_FOUND.into_response(),
        Err(error) => {
            tracing::error!(%error, "staff document");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    match state.app.documents.get(&document.storage_key).await {
        Ok(bytes) => attachment(bytes, &document.info.content_type, &document.info.file_name),
        Err(error) => {
            tracing::error!(%error, "document store read");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

/// GET /staff/data-requests/{id}/export.json: the copy of everything held about
/// a supporter, member or volunteer who asked for it, for the privacy officer
/// to hand over; audited before it is sent.
pub async fn party_data_export(
    State(state): State<ServerState>,
    Path(request_id): Path<i64>,
    headers: HeaderMap,
) -> Response {
    let staff = match staff_allowed::<can::AnswerDataRequest>(&state, &headers).await {
        Ok(staff) => staff,
        Err(refusal) => return refusal,
    };
    match app::application::party_data::export(&state.app.database, &staff, request_id).await {
        Ok((copy, file_name)) => match serde_json::to_vec_pretty(&copy) {
            Ok(bytes) => attachment(bytes, "application/json", &file_name),
            Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        },
        Err(AppError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => {
            tracing::error!(%error, "party data export");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

/// Back to `back` with the staff upload form's problem (and what was typed) in the flash.
fn refused_upload(
    state: &ServerState,
    back: &str,
    form: &str,
    field: &str,
    problem: Problem,
    values: Vec<(String, String)>,
) -> Response {
    let mut problem = FormProblem::new(form, field, problem);
    problem.values = values;
    let mut response = Redirect::to(back).into_response();
    set_flash(state, &mut response, &problem.to_flash());
    response
}

/// POST /staff/library/{id}/versions: a new version of a library document.
pub async fn upload_library_version(
    State(state): State<ServerState>,
    Path(document_id): Path<i64>,
    headers: HeaderMap,
    form: Multipart,
) -> Response {
    let staff = match staff_allowed::<can::ManageLibrary>(&state, &headers).await {
        Ok(staff) => staff,
        Err(refusal) => return refusal,
    };
    let back = format!("/staff/library/{document_id}");
    let refused = |field: &str, problem: Problem, values: Vec<(String, String)>| {
        refused_upload(&state, &back, UPLOAD_VERSION_FORM, field, problem, values)
    };
    let upload = match read_upload(form, state.app.settings.max_upload_bytes).await {
        Ok(upload) => upload,
        Err(problem) => {
            let (field, problem) = problem.field_and_problem();
            return refused(field, problem, Vec::new());
        }
    };
    let typed = upload
        .fields
        .iter()
        .filter(|(name, _)| name == "version_label" || name == "change_note")
        .cloned()
        .collect::<Vec<_>>();
    let version = library::NewVersion {
        file_name: &upload.file_name,
        bytes: &upload.bytes,
        version_label: upload.field("version_label").unwrap_or_default(),
        change_note: upload.field("change_note").unwrap_or_default(),
    };
    match library::upload_version(&state.app, &staff, document_id, version).await {
        Ok(Ok(())) => Redirect::to(&back).into_response(),
        Ok(Err(refusal)) => refused(&refusal.field, refusal.problem, typed),
        Err(error) => error_response(error),
    }
}

/// A use case's failure as a status: 404 for what does not exist, else 503.
fn error_response(error: AppError) -> Response {
    match error {
        AppError::NotFound => StatusCode::NOT_FOUND.into_response(),
        _ => StatusCode::SERVICE_UNAVAILABLE.into_response(),
    }
}

/// GET /staff/library/versions/{id}: one version's file.
pub async fn download_library_version(
    State(state): State<ServerState>,
    Path(version_id): Path<i64>,
    headers: HeaderMap,
) -> Response {
    let staff = match staff_allowed::<can::ViewLibrary>(&state, &headers).await {
        Ok(staff) => staff,
        Err(refusal) => return refusal,
    };
    match library::version_file(&state.app, &staff, version_id).await {
        Ok(file) => attachment(file.bytes, &file.content_type, &file.file_name),
        Err(error) => error_response(error),
    }
}

#[derive(Debug, Deserialize)]
pub struct ReportQuery {
    from: Option<String>,
    to: Option<String>,
}

/// The report as tables: section, what, how many (the summary first, the
/// deadlines late now last); and the deadlines kept by month and rule.
struct ReportTables {
    language: Language,
    rows: Vec<[String; 3]>,
    deadlines: DeadlineExport,
}

async fn report_tables(
    state: &ServerState,
    headers: &HeaderMap,
    query: &ReportQuery,
) -> Result<ReportTables, Response> {
    let staff = staff_allowed::<can::ExportReports>(state, headers).await?;
    let language = request_cookie(headers, app::preferences::LANGUAGE_COOKIE)
        .and_then(|tag| Language::from_tag(&tag))
        .unwrap_or(Language::Arabic);
    let report = request_report(&state.app.database, &staff, query.from.as_deref(), query.to.as_deref(), language)
        .await
        .map_err(|error| {
            tracing::error!(%error, "building a report");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        })?;
    let mut rows = Vec::new();
    let summary_title = match language {
        Language::Arabic => "ملخص",
        Language::English => "Summary",
    };
    for (what, value) in report.summary {
        rows.push([summary_title.to_owned(), what, value]);
    }
    for section in report.sections {
        for (what, count) in section.rows {
            rows.push([section.title.clone(), what, count.to_string()]);
        }
    }
    for (what, value) in report.volunteering.rows {
        rows.push([report.volunteering.title.clone(), what, value]);
    }
    let deadlines = deadline_export(&report.deadlines, language);
    for (rule, late) in &deadlines.late {
        rows.push([deadlines.late_title.clone(), rule.clone(), late.to_string()]);
    }
    Ok(ReportTables { language, rows, deadlines })
}

fn file_name(query: &ReportQuery, extension: &str) -> String {
    let clean = |text: &Option<String>| {
        text.as_deref()
            .unwrap_or_default()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect::<String>()
    };
    let (from, to) = (clean(&query.from), clean(&query.to));
    if from.is_empty() && to.is_empty() {
        format!("awn-requests.{extension}")
    } else {
        format!("awn-requests-{from}_{to}.{extension}")
    }
}

/// GET /staff/reports/requests.csv
pub async fn report_csv(
    State(state): State<ServerState>,
    headers: HeaderMap,
    Query(query): Query<ReportQuery>,
) -> Response {
    let tables = match report_tables(&state, &headers, &query).await {
        Ok(tables) => tables,
        Err(refusal) => return refusal,
    };
    // The figures' lines, then the deadlines kept: their title first, then a
    // header, then a line per month and rule. Every line has the same number
    // of cells (the figures' padded), so that any CSV reader takes the file.
    let deadlines = &tables.deadlines;
    let padding = deadlines.header.len() - 2;
    let mut lines: Vec<Vec<String>> = tables
        .rows
        .iter()
        .map(|row| row.iter().cloned().chain(std::iter::repeat_n(String::new(), padding)).collect())
        .collect();
    for line in std::iter::once(&deadlines.header).chain(&deadlines.lines) {
        lines.push(std::iter::once(deadlines.title.clone()).chain(line.iter().cloned()).collect());
    }
    match super::csv_file::csv_bytes(&lines, true) {
        Ok(bytes) => attachment(bytes, "text/csv; charset=utf-8", &file_name(&query, "csv")),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// GET /staff/reports/requests.xlsx: the figures, and the deadlines kept on a
/// second sheet; right-to-left for Arabic.
pub async fn report_xlsx(
    State(state): State<ServerState>,
    headers: HeaderMap,
    Query(query): Query<ReportQuery>,
) -> Response {
    let tables = match report_tables(&state, &headers, &query).await {
        Ok(tables) => tables,
        Err(refusal) => return refusal,
    };
    match xlsx_bytes(&tables) {
        Ok(bytes) => attachment(
            bytes,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            &file_name(&query, "xlsx"),
        ),
        Err(error) => {
            tracing::error!(%error, "writing a report workbook");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

fn xlsx_bytes(tables: &ReportTables) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let right_to_left = tables.language == Language::Arabic;
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_right_to_left(right_to_left);
    sheet.set_column_width(0, 28)?;
    sheet.set_column_width(1, 40)?;
    sheet.set_column_width(2, 14)?;
    for (index, row) in tables.rows.iter().enumerate() {
        let line = u32::try_from(index).unwrap_or(u32::MAX);
        sheet.write_string(line, 0, &row[0])?;
        sheet.write_string(line, 1, &row[1])?;
        // Counts are numbers in the sheet; a median or a share stays text.
        match row[2].parse::<f64>() {
            Ok(number) => sheet.write_number(line, 2, number)?,
            Err(_) => sheet.write_string(line, 2, &row[2])?,
        };
    }

    let deadlines = &tables.deadlines;
    let sheet = workbook.add_worksheet();
    sheet.set_name(&deadlines.title)?;
    sheet.set_right_to_left(right_to_left);
    for (column, width) in [14, 24, 40, 10, 10, 10].into_iter().enumerate() {
        sheet.set_column_width(column as u16, width)?;
    }
    for (column, text) in deadlines.header.iter().enumerate() {
        sheet.write_string(0, column as u16, text)?;
    }
    for (index, row) in deadlines.lines.iter().enumerate() {
        let line = u32::try_from(index + 1).unwrap_or(u32::MAX);
        for (column, cell) in row.iter().enumerate() {
            let column = column as u16;
            // Done, on time and percent are numbers; a percent of nothing stays empty.
            match cell.parse::<f64>() {
                Ok(number) if column >= 3 => sheet.write_number(line, column, number)?,
                _ if cell.is_empty() => sheet,
                _ => sheet.write_string(line, column, cell)?,
            };
        }
    }
    workbook.save_to_buffer()
}

/// GET /staff/reports/research.csv: de-identified data for research (B8):
/// generalised attributes only (age, household and income in bands; the kind
/// of support; the outcome), as groups of at least five people each.
pub async fn research_csv(State(state): State<ServerState>, headers: HeaderMap) -> Response {
    use awn_domain::{
        calendar::DualDate,
        reports::{MIN_GROUP_SIZE, ResearchKey, age_band, age_on, household_band, income_band, releasable_groups},
    };
    if let Err(refusal) = staff_allowed::<can::ExportReports>(&state, &headers).await {
        return refusal;
    }
    let records = match awn_storage::reports::research_records(&state.app.database).await {
        Ok(records) => records,
        Err(error) => {
            tracing::error!(%error, "research records");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    let today = DualDate::from_unix_seconds(now_unix_seconds()).gregorian;
    let groups = releasable_groups(records.into_iter().map(|r| ResearchKey {
        age_band: age_band(age_on(&r.birth_date, today)),
        household_band: household_band(r.household_members),
        income_band: income_band(r.monthly_income),
        support_kind: r.support_kind_code,
        outcome: r.status,
    }));
    let header = ["age_band", "household_band", "monthly_income_band", "support_kind", "outcome", "people"];
    let mut rows: Vec<[String; 6]> = vec![header.map(str::to_owned)];
    for (key, size) in &groups {
        rows.push([
            key.age_band.to_owned(),
            key.household_band.to_owned(),
            key.income_band.to_owned(),
            key.support_kind.clone(),
            key.outcome.clone(),
            size.to_string(),
        ]);
    }
    let note = format!("# groups of fewer than {MIN_GROUP_SIZE} people are withheld");
    rows.push([note, String::new(), String::new(), String::new(), String::new(), String::new()]);
    match super::csv_file::csv_bytes(&rows, false) {
        Ok(bytes) => attachment(bytes, "text/csv; charset=utf-8", "awn-research.csv"),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// POST /staff/beneficiaries/{id}/sharing-consent: a consent to share with a
/// named party, given on a signed form (B7) that staff upload (PDF or image).
pub async fn upload_sharing_consent(
    State(state): State<ServerState>,
    Path(beneficiary_id): Path<i64>,
    headers: HeaderMap,
    form: Multipart,
) -> Response {
    let staff = match staff_allowed::<can::RecordConsent>(&state, &headers).await {
        Ok(staff) => staff,
        Err(refusal) => return refusal,
    };
    let back = format!("/staff/beneficiaries/{beneficiary_id}");
    let refused = |field: &str, problem: Problem, values: Vec<(String, String)>| {
        refused_upload(&state, &back, SHARING_CONSENT_FORM, field, problem, values)
    };
    let upload = match read_upload(form, state.app.settings.max_upload_bytes).await {
        Ok(upload) => upload,
        Err(problem) => {
            let (field, problem) = problem.field_and_problem();
            return refused(field, problem, Vec::new());
        }
    };
    let typed: Vec<(String, String)> = upload.fields.iter().filter(|(name, _)| name == "party").cloned().collect();
    let signed = consent::SignedSharing {
        party: upload.field("party").unwrap_or_default(),
        file_name: &upload.file_name,
        bytes: &upload.bytes,
    };
    match consent::record_signed_sharing(&state.app, &staff, beneficiary_id, signed).await {
        Ok(Ok(())) => Redirect::to(&format!("{back}?consent=1")).into_response(),
        Ok(Err(refusal)) => refused(&refusal.field, refusal.problem, typed),
        Err(error) => error_response(error),
    }
}
