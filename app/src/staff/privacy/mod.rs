//! The privacy officer's registers: violation reports (`/staff/privacy-reports`,
//! B12) tracked to an outcome with the breach notification deadline,
//! disclosures (`/staff/disclosures`, B1, B4), recorded only with an
//! authority's order, and the data subject's requests (`/staff/data-requests`).
//!
//! The server functions are adapters: they authorize, hand the arguments to
//! `application::privacy` and put its refusal on the page's form.

mod data_request_record;
mod data_requests;
mod disclosures;
mod reports;

pub use data_request_record::{RecordDataRequest, record_data_request};
pub use data_requests::{
    AnswerDataRequest, CarryOutDeletion, DataRequestItem, DataRequestsPage, LoadDataRequests, StaffDataRequestsPage,
    answer_data_request, carry_out_deletion, load_data_requests,
};
pub use disclosures::{
    DisclosureItem, DisclosuresPage, LoadDisclosures, RecordDisclosure, StaffDisclosuresPage, load_disclosures,
    record_disclosure,
};
pub use reports::{
    LoadPrivacyReports, PrivacyReportStep, RecordPrivacyReport, ReportItem, ReportsPage, StaffPrivacyReportsPage,
    load_privacy_reports, privacy_report_step, record_privacy_report,
};

#[cfg(feature = "ssr")]
use crate::{
    application::privacy::Outcome,
    error::AppError,
    forms::{FormProblem, finish},
};

/// Rows on a page of each privacy register.
#[cfg(feature = "ssr")]
const PER_PAGE: u32 = 50;

/// The page's answer to a form: back to `back_to`, with the refusal (and what
/// was typed, `values`) put on the form `form` if there was one.
#[cfg(feature = "ssr")]
fn answer(
    back_to: &str,
    form: &str,
    outcome: Outcome,
    values: &[(&str, &Option<String>)],
) -> Result<Option<FormProblem>, AppError> {
    let problem =
        outcome.err().map(|refused| FormProblem::new(form, refused.field, refused.problem).with_values(values));
    finish(back_to, problem)
}
