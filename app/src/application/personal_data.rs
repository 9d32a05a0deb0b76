//! The one way staff read people's personal data: each read writes its audit
//! entry (who, whose, what, when, why) before the data is returned, so nothing is
//! shown that was not recorded.

use awn_domain::ids::RequestId;
use awn_storage::{
    Database, Page, PageRequest,
    audit::{self, AuditAction, AuditEntry},
    casework::{self, CaseFile, QueueFilter, QueueItem},
    now_unix_seconds,
};

use super::access::{Authorized, Capability, can};
use crate::error::AppError;

/// Why staff open data in the workspace: handling the case.
pub const PURPOSE_CASEWORK: &str = "casework";
/// Why the privacy officer opens the privacy registers: handling the
/// reports, requests and disclosures the law asks to be answered.
pub const PURPOSE_PRIVACY: &str = "privacy";

/// Longest search term kept in the audit log, in characters.
const MAX_AUDITED_TERM_CHARS: usize = 100;

/// A request's case file: the applicant, the documents, the timeline.
pub async fn case_file(
    database: &Database,
    who: &Authorized<can::ViewBeneficiaryFile>,
    request_id: RequestId,
    purpose: &str,
) -> Result<CaseFile, AppError> {
    let file = casework::case_file(database, request_id).await?.ok_or(AppError::NotFound)?;
    let entry = AuditEntry {
        staff_id: who.id,
        action: AuditAction::CaseView,
        beneficiary_id: Some(file.beneficiary_id.get()),
        request_id: Some(request_id.get()),
        reason: purpose,
    };
    audit::record(database, entry, now_unix_seconds()).await?;
    Ok(file)
}

/// The request's possible duplicates (issue 15): who else it may be about is
/// personal data too, so looking is recorded.
pub async fn possible_duplicates(
    database: &Database,
    who: &Authorized<can::ViewBeneficiaryFile>,
    file: &CaseFile,
    purpose: &str,
) -> Result<Vec<awn_storage::duplicates::PossibleDuplicate>, AppError> {
    let found = awn_storage::duplicates::of_request(database, file.id).await?;
    let entry = AuditEntry {
        staff_id: who.id,
        action: AuditAction::DuplicatesView,
        beneficiary_id: Some(file.beneficiary_id.get()),
        request_id: Some(file.id.get()),
        reason: purpose,
    };
    audit::record(database, entry, now_unix_seconds()).await?;
    Ok(found)
}

/// The queue shows names and ID numbers, so listing it is a read too; a
/// search by name, ID or reference is a look-up of someone, recorded with
/// what was looked for.
pub async fn queue(
    database: &Database,
    who: &Authorized<can::ViewQueue>,
    filter: &QueueFilter,
    purpose: &str,
    request: PageRequest,
) -> Result<Page<QueueItem>, AppError> {
    let now = now_unix_seconds();
    let items = casework::queue(database, filter, now, request).await?;
    let term = search_term(&filter.search);
    let (action, reason) = if term.is_empty() {
        (AuditAction::QueueView, purpose.to_owned())
    } else {
        (AuditAction::QueueSearch, format!("{purpose}:{term}"))
    };
    let entry = AuditEntry { staff_id: who.id, action, beneficiary_id: None, request_id: None, reason: &reason };
    audit::record(database, entry, now).await?;
    Ok(items)
}

/// A search term as the audit log keeps it: on one line, spaces collapsed,
/// without control characters, cut to [`MAX_AUDITED_TERM_CHARS`], and with
/// every run of five digits or more masked but its last four: national IDs
/// and mobile numbers are encrypted at rest (B11), and the audit log is not.
pub fn search_term(search: &str) -> String {
    let words: Vec<&str> =
        search.split(|c: char| c.is_whitespace() || c.is_control()).filter(|w| !w.is_empty()).collect();
    mask_long_numbers(&words.join(" ")).chars().take(MAX_AUDITED_TERM_CHARS).collect()
}

/// `1000000008` becomes `******0008`; shorter numbers (a reference's
/// sequence, a year) stay. Digits in any script count.
fn mask_long_numbers(text: &str) -> String {
    let mut masked = String::with_capacity(text.len());
    let mut run: Vec<char> = Vec::new();
    let flush = |run: &mut Vec<char>, masked: &mut String| {
        if run.len() >= 5 {
            masked.extend(std::iter::repeat_n('*', run.len() - 4));
            masked.extend(&run[run.len() - 4..]);
        } else {
            masked.extend(run.iter());
        }
        run.clear();
    };
    for c in text.chars() {
        if c.is_numeric() {
            run.push(c);
        } else {
            flush(&mut run, &mut masked);
            masked.push(c);
        }
    }
    flush(&mut run, &mut masked);
    masked
}

/// A beneficiary's document (a request's, or a signed consent form): the read
/// is audited before the caller gets where its bytes are.
pub async fn document(
    database: &Database,
    who: &Authorized<can::ViewBeneficiaryFile>,
    document_id: i64,
    purpose: &str,
) -> Result<awn_storage::documents::StoredDocument, AppError> {
    let (document, beneficiary_id, request_id) =
        awn_storage::documents::for_staff(database, document_id).await?.ok_or(AppError::NotFound)?;
    let entry = AuditEntry {
        staff_id: who.id,
        action: AuditAction::DocumentView,
        beneficiary_id: Some(beneficiary_id),
        request_id,
        reason: purpose,
    };
    audit::record(database, entry, now_unix_seconds()).await?;
    Ok(document)
}

/// Writes the audit entry of a read that is not about one request.
async fn record_read<C: Capability>(
    database: &Database,
    who: &Authorized<C>,
    action: AuditAction,
    beneficiary_id: Option<i64>,
    purpose: &str,
) -> Result<(), AppError> {
    let entry = AuditEntry { staff_id: who.id, action, beneficiary_id, request_id: None, reason: purpose };
    audit::record(database, entry, now_unix_seconds()).await?;
    Ok(())
}

/// The inquiry inbox shows askers' names and contacts.
pub async fn inquiries(
    database: &Database,
    who: &Authorized<can::AnswerInquiry>,
    status: Option<&str>,
    channel: Option<awn_domain::channels::Channel>,
    purpose: &str,
    request: PageRequest,
) -> Result<Page<awn_storage::inquiries::InquiryRow>, AppError> {
    let rows = awn_storage::inquiries::inbox(database, status, channel, request).await?;
    record_read(database, who, AuditAction::InquiriesView, None, purpose).await?;
    Ok(rows)
}

/// Volunteer applications carry names and mobiles.
pub async fn volunteers(
    database: &Database,
    who: &Authorized<can::ManageVolunteers>,
    purpose: &str,
    request: PageRequest,
) -> Result<Page<awn_storage::volunteers::VolunteerRow>, AppError> {
    let rows = awn_storage::volunteers::list(database, request).await?;
    record_read(database, who, AuditAction::VolunteersView, None, purpose).await?;
    Ok(rows)
}

/// Complaints are about named beneficiaries and their requests.
pub async fn complaints(
    database: &Database,
    who: &Authorized<can::HandleComplaint>,
    status: Option<&str>,
    purpose: &str,
    request: PageRequest,
) -> Result<Page<awn_storage::complaints::ComplaintRow>, AppError> {
    let rows = awn_storage::complaints::list(database, status, request).await?;
    record_read(database, who, AuditAction::ComplaintsView, None, purpose).await?;
    Ok(rows)
}

/// Violation reports carry reporters' names and contacts and what they saw.
pub async fn privacy_reports(
    database: &Database,
    who: &Authorized<can::HandlePrivacyReport>,
    purpose: &str,
    request: PageRequest,
) -> Result<Page<awn_storage::privacy_reports::PrivacyReport>, AppError> {
    let page = awn_storage::privacy_reports::list(database, request).await?;
    record_read(database, who, AuditAction::PrivacyReportsView, None, purpose).await?;
    Ok(page)
}

/// Data requests name their beneficiary and what they asked to correct.
pub async fn data_requests(
    database: &Database,
    who: &Authorized<can::AnswerDataRequest>,
    purpose: &str,
    request: PageRequest,
) -> Result<Page<awn_storage::data_requests::DataRequest>, AppError> {
    let page = awn_storage::data_requests::list(database, request).await?;
    record_read(database, who, AuditAction::DataRequestsView, None, purpose).await?;
    Ok(page)
}

/// Disclosures say what was handed over about whom.
pub async fn disclosures(
    database: &Database,
    who: &Authorized<can::RecordDisclosure>,
    purpose: &str,
    request: PageRequest,
) -> Result<Page<awn_storage::disclosures::DisclosureRecord>, AppError> {
    let page = awn_storage::disclosures::list(database, request).await?;
    record_read(database, who, AuditAction::DisclosuresView, None, purpose).await?;
    Ok(page)
}

/// Everything about one beneficiary: requests, services, inquiries, complaints.
pub async fn beneficiary_file(
    database: &Database,
    who: &Authorized<can::ViewBeneficiaryFile>,
    beneficiary_id: i64,
    purpose: &str,
) -> Result<BeneficiaryFile, AppError> {
    let overview = casework::beneficiary_overview(database, beneficiary_id).await?.ok_or(AppError::NotFound)?;
    let inquiries = awn_storage::inquiries::for_beneficiary(database, beneficiary_id).await?;
    let complaints = awn_storage::complaints::for_beneficiary(database, beneficiary_id).await?;
    let consents =
        awn_storage::consent::register(database, awn_storage::consent::ConsentHolder::Beneficiary(beneficiary_id))
            .await?;
    record_read(database, who, AuditAction::BeneficiaryView, Some(beneficiary_id), purpose).await?;
    Ok(BeneficiaryFile { overview, inquiries, complaints, consents })
}

/// What [`beneficiary_file`] reads.
pub struct BeneficiaryFile {
    pub overview: casework::BeneficiaryOverview,
    pub inquiries: Vec<awn_storage::inquiries::InquiryRow>,
    pub complaints: Vec<awn_storage::complaints::ComplaintRow>,
    /// The consent register, newest first.
    pub consents: Vec<awn_storage::consent::ConsentEntry>,
}

#[cfg(test)]
mod tests {
    use super::search_term;

    #[test]
    fn an_audited_search_term_keeps_no_whole_id_or_mobile() {
        assert_eq!(search_term("  1000000008 "), "******0008");
        assert_eq!(search_term("٠٥٠١٢٣٤٥٦٧"), "******٤٥٦٧");
        assert_eq!(search_term("محمد\n REQ-2026-0042"), "محمد REQ-2026-0042");
    }
}
