//! What staff record at each step of a request (A10–A14), checked before it is
//! stored: verification, referral, the social study, the committee's decision,
//! registration and the service delivered; and when a decision is overdue.
//!
//! Forms are checked whole, so every problem of a form shows at once, each
//! against its field.

use serde::{Deserialize, Serialize};

use crate::calendar::{CalendarDay, TypedDayError};
use crate::digits::{NumberInputError, parse_whole_number};
use crate::identity::clean_text;
use crate::requests::RequestStatus;

crate::code_table! {
    /// What is wrong with one field of a staff form. Codes shared with
    /// `requests::FieldProblem` mean the same, so their messages are translated once.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
    pub enum WorkflowProblem {
        #[error("this field is required")]
        Required = "required",
        #[error("this text is too long")]
        TooLong = "too_long",
        #[error("not one of the choices offered")]
        ChoiceInvalid = "choice_invalid",
        #[error("not a whole number")]
        NumberInvalid = "number_invalid",
        #[error("the number is out of range")]
        NumberOutOfRange = "number_out_of_range",
        #[error("not a date")]
        DateInvalid = "date_invalid",
        #[error("the date is in the future")]
        DateInFuture = "date_in_future",
        #[error("the date is before the request was accepted")]
        DateBeforeAcceptance = "date_before_acceptance",
        #[error("the period was extended once already")]
        AlreadyExtended = "already_extended",
        #[error("the deadline has passed")]
        DeadlinePassed = "deadline_passed",
        #[error("not a Saudi mobile number")]
        PhoneInvalid = "phone_invalid",
        #[error("not an email address")]
        EmailInvalid = "email_invalid",
        #[error("a national ID has ten digits")]
        NationalIdLength = "national_id_length",
        #[error("a national ID starts with 1 or 2")]
        NationalIdFirstDigit = "national_id_first_digit",
        #[error("the national ID's check digit is wrong")]
        NationalIdCheckDigit = "national_id_check_digit",
    }
}

/// A problem with a named field of a staff form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{field}: {problem}")]
pub struct WorkflowError {
    pub field: String,
    pub problem: WorkflowProblem,
}

/// Longest note, finding, reason or message kept.
pub const MAX_NOTE_CHARS: usize = 4000;
/// Longest short text: what was delivered, the support granted.
pub const MAX_SHORT_TEXT_CHARS: usize = 300;
/// Longest unit of a quantity ("ريال", "سلة غذائية").
pub const MAX_UNIT_CHARS: usize = 40;
/// Largest quantity or amount of one delivery.
pub const MAX_QUANTITY: u64 = 10_000_000;

/// Every field checked at once, so all of a form's errors show together.
#[derive(Default)]
pub(crate) struct Checked {
    errors: Vec<WorkflowError>,
}

impl Checked {
    pub(crate) fn field<T>(&mut self, field: &str, result: Result<T, WorkflowProblem>) -> Option<T> {
        result.map_err(|problem| self.errors.push(WorkflowError { field: field.to_string(), problem })).ok()
    }

    pub(crate) fn finish<T>(self, value: Option<T>) -> Result<T, Vec<WorkflowError>> {
        match value {
            Some(value) if self.errors.is_empty() => Ok(value),
            _ => Err(self.errors),
        }
    }
}

/// Text of several lines: each line cleaned (invisible characters, tatweel,
/// extra spaces), line breaks kept, blank lines at either end dropped. Empty
/// exactly when `clean_text` of it is.
fn note_text(value: &str) -> String {
    let lines: Vec<String> = value.lines().map(clean_text).collect();
    lines.join("\n").trim_matches('\n').to_string()
}

pub(crate) fn optional_note(value: &str) -> Result<String, WorkflowProblem> {
    let text = note_text(value);
    if text.chars().count() > MAX_NOTE_CHARS { Err(WorkflowProblem::TooLong) } else { Ok(text) }
}

pub(crate) fn required_note(value: &str) -> Result<String, WorkflowProblem> {
    match optional_note(value)? {
        text if text.is_empty() => Err(WorkflowProblem::Required),
        text => Ok(text),
    }
}

/// A short text that may be empty.
pub(crate) fn optional_line(value: &str, max_chars: usize) -> Result<String, WorkflowProblem> {
    let text = clean_text(value);
    if text.chars().count() > max_chars { Err(WorkflowProblem::TooLong) } else { Ok(text) }
}

pub(crate) fn required_line(value: &str, max_chars: usize) -> Result<String, WorkflowProblem> {
    let text = clean_text(value);
    if text.is_empty() {
        Err(WorkflowProblem::Required)
    } else if text.chars().count() > max_chars {
        Err(WorkflowProblem::TooLong)
    } else {
        Ok(text)
    }
}

fn choice<T>(value: &str, from_code: impl Fn(&str) -> Option<T>) -> Result<T, WorkflowProblem> {
    match value.trim() {
        "" => Err(WorkflowProblem::Required),
        code => from_code(code).ok_or(WorkflowProblem::ChoiceInvalid),
    }
}

/// A Gregorian day as staff type it (see `CalendarDay::parse_typed`).
pub fn parse_day(input: &str) -> Result<CalendarDay, WorkflowProblem> {
    CalendarDay::parse_typed(input).map_err(|error| match error {
        TypedDayError::Empty => WorkflowProblem::Required,
        TypedDayError::Invalid | TypedDayError::NoSuchHijriDay => WorkflowProblem::DateInvalid,
    })
}

crate::code_table! {
    /// The three checks of verification (A10).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum ChecklistItem {
        /// Every required item is provided.
        ItemsProvided = "items_provided",
        /// The data typed matches the documents.
        DataMatchesDocuments = "data_matches_documents",
        /// The documents were valid on the day of submission.
        DocumentsValidOnSubmission = "documents_valid_on_submission",
    }
}

/// What the officer ticked while verifying a request.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct VerificationChecklist {
    pub items_provided: bool,
    pub data_matches_documents: bool,
    pub documents_valid_on_submission: bool,
    /// For staff only; optional.
    pub note: String,
}

impl VerificationChecklist {
    fn ticked(&self, item: ChecklistItem) -> bool {
        match item {
            ChecklistItem::ItemsProvided => self.items_provided,
            ChecklistItem::DataMatchesDocuments => self.data_matches_documents,
            ChecklistItem::DocumentsValidOnSubmission => self.documents_valid_on_submission,
        }
    }
}

/// The result of verification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum VerificationOutcome {
    /// Everything checked: the request goes on to research.
    Verified { note: String },
    /// Something is missing or wrong: the beneficiary is told what, without
    /// having to ask (A3).
    MissingInformation { unticked: Vec<ChecklistItem>, message: String, note: String },
}

impl VerificationOutcome {
    /// Where the request goes from `UnderVerification`.
    pub fn next_status(&self) -> RequestStatus {
        match self {
            VerificationOutcome::Verified { .. } => RequestStatus::ReferredToResearch,
            VerificationOutcome::MissingInformation { .. } => RequestStatus::MissingInformation,
        }
    }
}

/// Judges a verification. `missing_message` is what the beneficiary reads when
/// something is unticked; it is ignored when all is in order.
pub fn verification_outcome(
    checklist: &VerificationChecklist,
    missing_message: &str,
) -> Result<VerificationOutcome, Vec<WorkflowError>> {
    let mut checked = Checked::default();
    let note = checked.field("note", optional_note(&checklist.note));
    let unticked: Vec<ChecklistItem> = ChecklistItem::ALL.into_iter().filter(|&item| !checklist.ticked(item)).collect();
    let outcome = if unticked.is_empty() {
        note.map(|note| VerificationOutcome::Verified { note })
    } else {
        let message = checked.field("message", required_note(missing_message));
        note.zip(message).map(|(note, message)| VerificationOutcome::MissingInformation { unticked, message, note })
    };
    checked.finish(outcome)
}

/// A referral to the social research officer (A11): what is unclear and why,
/// so the researcher can answer it.
pub fn referral_note(note: &str) -> Result<String, Vec<WorkflowError>> {
    let mut checked = Checked::default();
    let note = checked.field("note", required_note(note));
    checked.finish(note)
}

crate::code_table! {
    /// How the social study was made (A7).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum StudyMethod {
        FieldVisit = "field_visit",
        Interview = "interview",
        PhoneCall = "phone_call",
    }
}

crate::code_table! {
    /// What the researcher advises the committee.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum Recommendation {
        Accept = "accept",
        Reject = "reject",
        /// The study cannot finish without more from the beneficiary.
        NeedsMore = "needs_more",
    }
}

/// The study form as posted: choices as codes, text as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StudyForm {
    pub method: String,
    pub findings: String,
    pub recommendation: String,
    /// What the beneficiary reads; required when more is needed.
    pub message: String,
}

/// A checked social study.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResearchStudy {
    pub method: StudyMethod,
    pub findings: String,
    pub recommendation: Recommendation,
    pub message: Option<String>,
}

impl ResearchStudy {
    /// Where the request goes from `ReferredToResearch`: the committee decides
    /// whatever the recommendation, unless the study could not be finished.
    pub fn next_status(&self) -> RequestStatus {
        match self.recommendation {
            Recommendation::Accept | Recommendation::Reject => RequestStatus::WithCommittee,
            Recommendation::NeedsMore => RequestStatus::MissingInformation,
        }
    }
}

pub fn check_study(form: &StudyForm) -> Result<ResearchStudy, Vec<WorkflowError>> {
    let mut checked = Checked::default();
    let method = checked.field("method", choice(&form.method, StudyMethod::from_code));
    let findings = checked.field("findings", required_note(&form.findings));
    let recommendation = checked.field("recommendation", choice(&form.recommendation, Recommendation::from_code));
    let message = match recommendation {
        Some(Recommendation::NeedsMore) => checked.field("message", required_note(&form.message)).map(Some),
        _ => Some(None),
    };
    let study = (|| {
        Some(ResearchStudy { method: method?, findings: findings?, recommendation: recommendation?, message: message? })
    })();
    checked.finish(study)
}

crate::code_table! {
    /// The committee's choice, as posted.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum DecisionKind {
        Accept = "accept",
        Reject = "reject",
        /// The committee cannot decide yet and asks the beneficiary for more.
        MoreInformation = "more_information",
    }
}

/// The decision form as posted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DecisionForm {
    pub decision: String,
    /// What the beneficiary reads: why it was rejected, or what is missing.
    pub reason: String,
    /// What was granted, when accepted.
    pub support: String,
}

/// A checked committee decision (A13).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Decision {
    Accepted { support: String },
    Rejected { reason: String },
    MoreInformation { message: String },
}

impl Decision {
    /// Where the request goes from `WithCommittee`.
    pub fn status(&self) -> RequestStatus {
        match self {
            Decision::Accepted { .. } => RequestStatus::Accepted,
            Decision::Rejected { .. } => RequestStatus::Rejected,
            Decision::MoreInformation { .. } => RequestStatus::MissingInformation,
        }
    }
}

/// A rejection and a request for more need a reason the beneficiary reads; an
/// acceptance needs the support granted, so the service officer knows what to give.
pub fn check_decision(form: &DecisionForm) -> Result<Decision, Vec<WorkflowError>> {
    let mut checked = Checked::default();
    let decision =
        checked.field("decision", choice(&form.decision, DecisionKind::from_code)).and_then(|kind| match kind {
            DecisionKind::Accept => checked
                .field("support", required_line(&form.support, MAX_SHORT_TEXT_CHARS))
                .map(|support| Decision::Accepted { support }),
            DecisionKind::Reject => {
                checked.field("reason", required_note(&form.reason)).map(|reason| Decision::Rejected { reason })
            }
            DecisionKind::MoreInformation => checked
                .field("reason", required_note(&form.reason))
                .map(|message| Decision::MoreInformation { message }),
        });
    checked.finish(decision)
}

/// The number of a beneficiary's file, opened when registration is completed
/// (A14): BEN-2026-000042, like a request's reference number.
pub fn file_number(year: i32, id: i64) -> String {
    format!("BEN-{year}-{id:06}")
}

/// The service form as posted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ServiceForm {
    pub what: String,
    pub quantity: String,
    pub unit: String,
    pub delivered_on: String,
}

/// A checked record of a service delivered (A14); who delivered it is the
/// signed-in staff member, added by the caller.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceDelivery {
    pub what: String,
    pub quantity: u64,
    pub unit: String,
    pub delivered_on: CalendarDay,
}

fn positive_quantity(value: &str) -> Result<u64, WorkflowProblem> {
    match parse_whole_number(value) {
        Ok(number) if (1..=MAX_QUANTITY).contains(&number) => Ok(number),
        Ok(_) | Err(NumberInputError::TooLarge) => Err(WorkflowProblem::NumberOutOfRange),
        Err(NumberInputError::Empty) => Err(WorkflowProblem::Required),
        Err(NumberInputError::NotANumber) => Err(WorkflowProblem::NumberInvalid),
    }
}

/// Checks a delivery: it cannot be dated in the future, nor before the request
/// was accepted.
pub fn check_service(
    form: &ServiceForm,
    accepted_on: CalendarDay,
    today: CalendarDay,
) -> Result<ServiceDelivery, Vec<WorkflowError>> {
    let mut checked = Checked::default();
    let what = checked.field("what", required_line(&form.what, MAX_SHORT_TEXT_CHARS));
    let quantity = checked.field("quantity", positive_quantity(&form.quantity));
    let unit = checked.field("unit", required_line(&form.unit, MAX_UNIT_CHARS));
    let delivered_on = checked.field(
        "delivered_on",
        parse_day(&form.delivered_on).and_then(|day| {
            if day.sort_key() > today.sort_key() {
                Err(WorkflowProblem::DateInFuture)
            } else if day.sort_key() < accepted_on.sort_key() {
                Err(WorkflowProblem::DateBeforeAcceptance)
            } else {
                Ok(day)
            }
        }),
    );
    let delivery =
        (|| Some(ServiceDelivery { what: what?, quantity: quantity?, unit: unit?, delivered_on: delivered_on? }))();
    checked.finish(delivery)
}

/// Whether a request still waits for the committee's answer: open and not yet
/// accepted or rejected. Time spent waiting for missing information counts: the
/// period is the beneficiary's, not the committee's.
pub fn awaiting_decision(status: RequestStatus) -> bool {
    use RequestStatus::*;
    matches!(status, Submitted | UnderVerification | MissingInformation | ReferredToResearch | WithCommittee)
}

/// Whether the committee's period has passed without an answer (A13). Not
/// while the beneficiary is asked for more: the committee's clock is paused
/// then (`deadlines`), and the request's due moment moves on when it resumes.
pub fn is_overdue(status: RequestStatus, decision_due_at: i64, now: i64) -> bool {
    awaiting_decision(status)
        && status != RequestStatus::MissingInformation
        && status.is_open()
        && now > decision_due_at
}

#[cfg(test)]
mod tests;
