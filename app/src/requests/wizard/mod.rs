//! The support-request wizard: a few short steps, each saved to a server-side
//! draft, so a dropped connection or a closed tab loses nothing and the request
//! can be finished on another device. One address (/requests/new) shows whichever
//! step the draft is at, which is also what makes it work without JavaScript.
//!
//! Here: the page's DTOs and its server functions. The page and its frame are in
//! `page.rs`, the steps' fields (shared with the staff intake) in `fields.rs` and
//! `declaration.rs`, the documents step in `documents.rs`. The use cases are in
//! `crate::application::requests`.

// `#[server]` writes the browser-side stub of a many-field form without the
// function's own `allow`.
#![cfg_attr(feature = "hydrate", allow(clippy::too_many_arguments, reason = "the stub takes the form's fields"))]

mod declaration;
mod documents;
mod fields;
mod members;
mod page;
mod summary;

#[cfg(feature = "ssr")]
use awn_domain::requests::ApplicantField;
use awn_domain::{
    locale::Language,
    requests::{FieldError, RequestDraft, WizardStep},
};
pub(crate) use declaration::DeclarationAndConsents;
pub(crate) use fields::{ApplicantFields, HouseholdFields, SupportFields};
use leptos::prelude::*;
pub use page::WizardPage;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindOption {
    pub code: String,
    pub name: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftDocument {
    pub id: i64,
    pub file_name: String,
    pub size_bytes: i64,
}

/// The open request that blocks a second one of the same kind (A12): only the
/// beneficiary's own. Another account's request for the same national ID
/// blocks nothing and is never mentioned (staff see the possible duplicate).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum DuplicateNotice {
    /// The beneficiary's own: we can point to it.
    Own { id: i64, reference: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WizardState {
    pub draft: RequestDraft,
    pub errors: Vec<FieldError>,
    pub kinds: Vec<KindOption>,
    pub documents: Vec<DraftDocument>,
    pub max_upload_mb: u64,
    pub upload_problem: Option<String>,
    pub duplicate: Option<DuplicateNotice>,
    /// The account sent as many requests today as a day allows.
    pub daily_limit: bool,
    /// The household rows' problems, row by row (issue 15).
    pub member_errors: Vec<awn_domain::requests::MemberError>,
    /// Shown right after the beneficiary sent a step (not on arrival): the new
    /// step's heading, or the mistakes to correct, takes focus (issue 17).
    pub after_save: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum StepOutcome {
    Saved {
        step: WizardStep,
        errors: Vec<FieldError>,
    },
    Duplicate(DuplicateNotice),
    Submitted {
        id: i64,
        reference: String,
    },
    /// Not sent: the account's requests for today are used up (the draft is kept).
    DailyLimit,
}

/// The flash's problem when the daily cap on submissions refused the request.
#[cfg(feature = "ssr")]
const DAILY_LIMIT_FLASH: &str = "daily_limit";
/// The flash's problem when the beneficiary's own open request blocked this one.
#[cfg(feature = "ssr")]
const DUPLICATE_OWN_FLASH: &str = "duplicate_own";
/// The flash's problem after a step was saved (its mistakes are the draft's own).
#[cfg(feature = "ssr")]
const SAVED_FLASH: &str = "saved";

/// The applicant's fields a form posted, each with its field: the server
/// functions' arguments of the same names, given in `ApplicantField::ALL`'s
/// order (the order they are declared in). Fields not posted are left out.
#[cfg(feature = "ssr")]
pub(crate) fn posted_fields(values: [Option<String>; ApplicantField::ALL.len()]) -> Vec<(ApplicantField, String)> {
    ApplicantField::ALL.into_iter().zip(values).filter_map(|(field, value)| Some((field, value?))).collect()
}

#[server(endpoint = "requests/wizard_state")]
pub async fn load_wizard_state(language: Language) -> Result<WizardState, AppError> {
    use crate::application::requests;
    let account = crate::session::require_beneficiary().await?;
    let context = crate::state::app_context()?;
    let db = &context.database;
    let (mut draft, errors) = requests::draft(db, &account).await?;
    let kinds = requests::offered_kinds(db, language).await?;
    let documents = requests::draft_documents(db, &account).await?;
    let flash = crate::flash::take("wizard");
    let upload_problem = flash.as_ref().filter(|f| f.value("kind") == Some("upload")).map(|f| f.problem.clone());
    if upload_problem.is_some() {
        // The refusal is shown where the upload was made.
        draft.step = WizardStep::Documents;
    }
    let duplicate = flash.as_ref().and_then(|f| match f.problem.as_str() {
        DUPLICATE_OWN_FLASH => {
            Some(DuplicateNotice::Own { id: f.number, reference: f.value("reference").unwrap_or_default().to_owned() })
        }
        _ => None,
    });
    Ok(WizardState {
        kinds,
        documents,
        max_upload_mb: context.settings.max_upload_bytes / (1024 * 1024),
        upload_problem,
        duplicate,
        daily_limit: flash.as_ref().is_some_and(|f| f.problem == DAILY_LIMIT_FLASH),
        after_save: flash.as_ref().is_some_and(|f| f.problem == SAVED_FLASH),
        member_errors: if errors.iter().any(|e| e.problem == awn_domain::requests::FieldProblem::MembersInvalid) {
            let today = awn_domain::calendar::DualDate::from_unix_seconds(awn_storage::now_unix_seconds()).gregorian;
            awn_domain::requests::check_members(&draft.members, today).err().unwrap_or_default()
        } else {
            Vec::new()
        },
        draft,
        errors,
    })
}

/// Saves what the step's form holds and moves as `go` says: "next" (if the step
/// is valid), "back", "save", "to:<step>" (an earlier step) or "submit".
#[server(endpoint = "requests/save_step")]
#[allow(clippy::too_many_arguments, reason = "a server function takes the form's fields as its arguments")]
pub async fn save_request_step(
    step: String,
    go: Option<String>,
    full_name: Option<String>,
    national_id: Option<String>,
    birth_date: Option<String>,
    mobile: Option<String>,
    email: Option<String>,
    city: Option<String>,
    district: Option<String>,
    household_members: Option<String>,
    monthly_income: Option<String>,
    housing: Option<String>,
    support_kind: Option<String>,
    description: Option<String>,
    declaration_accepted: Option<String>,
    signature: Option<String>,
    consent_sms: Option<String>,
    consent_email: Option<String>,
    // The household's rows, posted as `members[0][full_name]` and so on.
    members: Option<Vec<awn_domain::requests::MemberDraft>>,
) -> Result<StepOutcome, AppError> {
    use crate::flash::{FormFlash, keep_for_next_page};
    let posted = posted_fields([
        full_name,
        national_id,
        birth_date,
        mobile,
        email,
        city,
        district,
        household_members,
        monthly_income,
        housing,
        support_kind,
        description,
        declaration_accepted,
        signature,
        consent_sms,
        consent_email,
    ]);
    let account = crate::session::require_beneficiary().await?;
    let context = crate::state::app_context()?;
    let go = awn_domain::requests::WizardMove::from_button(go.as_deref());
    let language = crate::preferences::request_language(&context);
    let outcome =
        crate::application::requests::save_step(&context, &account, &step, go, &posted, members.as_deref(), language)
            .await?;
    match &outcome {
        StepOutcome::Submitted { id, .. } => leptos_axum::redirect(&format!("/requests/{id}?submitted=1")),
        StepOutcome::Duplicate(DuplicateNotice::Own { id, reference }) => keep_for_next_page(&FormFlash {
            form: "wizard".into(),
            values: vec![("reference".into(), reference.clone())],
            problem: DUPLICATE_OWN_FLASH.into(),
            number: *id,
        }),
        StepOutcome::DailyLimit => keep_for_next_page(&FormFlash {
            form: "wizard".into(),
            problem: DAILY_LIMIT_FLASH.into(),
            ..FormFlash::default()
        }),
        StepOutcome::Saved { .. } => keep_for_next_page(&FormFlash {
            form: "wizard".into(),
            problem: SAVED_FLASH.into(),
            ..FormFlash::default()
        }),
    }
    Ok(outcome)
}

/// Takes a document off the draft (before submission only).
#[server(endpoint = "requests/remove_draft_document")]
pub async fn remove_draft_document(document: i64) -> Result<(), AppError> {
    let account = crate::session::require_beneficiary().await?;
    let context = crate::state::app_context()?;
    crate::application::requests::remove_draft_document(&context, &account, document).await
}
