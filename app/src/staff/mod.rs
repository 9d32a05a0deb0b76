//! The staff workspace (`/staff`): sign-in, the privacy-policy acceptance every
//! account gives before it sees personal data (B2), the queue of requests and the
//! case page where each step of the workflow is recorded (A10–A14).
//!
//! Every server function here starts with `access::require(permission)`: the
//! role's permissions come from the one matrix in `awn_domain::staff`, and the UI
//! hiding a button is never what protects anything.

pub mod account;
pub mod alerts;
pub mod audit;
pub mod beneficiary;
pub mod case;
#[cfg(feature = "ssr")]
pub mod charts;
pub mod complaints;
pub mod feedback;
pub mod improvements;
pub mod inquiries;
pub mod intake;
pub mod labels;
pub mod library;
pub mod news;
pub mod policy;
pub mod privacy;
pub mod queue;
pub mod reports;
pub mod satisfaction;
pub mod sign_in;
pub mod surveys;

use awn_domain::staff::{Permission, StaffRole};
use serde::{Deserialize, Serialize};

/// What the workspace knows of the signed-in staff member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffSession {
    pub display_name: String,
    pub role: StaffRole,
    pub permissions: Vec<Permission>,
    /// The privacy policy in force, and whether this account accepted it.
    pub policy_version: Option<String>,
    pub policy_accepted: bool,
}

impl StaffSession {
    pub fn may(&self, permission: Permission) -> bool {
        self.permissions.contains(&permission)
    }
}

/// The workspace's sections, each with the permission that opens it, in the
/// order of the navigation bar.
pub const SECTIONS: [(Permission, &str); 15] = [
    (Permission::ViewQueue, "/staff"),
    (Permission::RecordIntake, "/staff/intake"),
    (Permission::AnswerInquiry, "/staff/inquiries"),
    (Permission::HandleComplaint, "/staff/complaints"),
    (Permission::ViewLibrary, "/staff/library"),
    (Permission::ViewReports, "/staff/reports"),
    (Permission::ViewAuditLog, "/staff/audit"),
    (Permission::HandlePrivacyReport, "/staff/privacy-reports"),
    (Permission::RecordDisclosure, "/staff/disclosures"),
    (Permission::AnswerDataRequest, "/staff/data-requests"),
    (Permission::PublishPrivacyPolicy, "/staff/privacy-policy"),
    (Permission::SendNews, "/staff/news"),
    (Permission::ViewSatisfaction, "/staff/satisfaction"),
    (Permission::ManageSurveys, "/staff/surveys"),
    (Permission::ManageImprovements, "/staff/improvements"),
];

/// The sections this staff member may open.
pub fn workspace_links(session: &StaffSession) -> Vec<(Permission, &'static str)> {
    SECTIONS.into_iter().filter(|(permission, _)| session.may(*permission)).collect()
}

#[cfg(feature = "ssr")]
pub mod access {
    //! Who is signed in to the workspace and what they may do: checked on the
    //! server at the start of every staff server function.
    use awn_domain::staff::{Permission, role_allows};
    use awn_storage::{
        Database, accounts, now_unix_seconds, privacy_policy,
        staff::{self, STAFF, StaffAccount},
    };

    use crate::{error::AppError, session::session_token, state::app_context};

    /// The signed-in, active staff account, if any.
    pub async fn current_staff() -> Result<Option<StaffAccount>, AppError> {
        let context = app_context()?;
        staff_of_session(&context.database, session_token().as_deref()).await
    }

    /// The active staff account a session token belongs to, if any.
    pub async fn staff_of_session(database: &Database, token: Option<&str>) -> Result<Option<StaffAccount>, AppError> {
        let Some(token) = token else { return Ok(None) };
        let owner = accounts::session_owner(database, token, now_unix_seconds()).await?;
        match owner {
            Some(owner) if owner.account_kind == STAFF => {
                Ok(staff::by_id(database, owner.account_id).await?.filter(|account| account.active))
            }
            _ => Ok(None),
        }
    }

    /// The version of the privacy policy in force and whether `account` accepted it.
    pub async fn policy_status(account: &StaffAccount) -> Result<(Option<String>, bool), AppError> {
        let context = app_context()?;
        policy_status_in(&context.database, account).await
    }

    async fn policy_status_in(database: &Database, account: &StaffAccount) -> Result<(Option<String>, bool), AppError> {
        let Some(current) = privacy_policy::current(database).await? else {
            // Nothing published yet: there is nothing to accept.
            return Ok((None, true));
        };
        let accepted = staff::has_accepted(database, account.id, &current.version).await?;
        Ok((Some(current.version), accepted))
    }

    /// The signed-in staff member, if their role allows `permission` and, for
    /// anything touching personal data, they accepted the policy in force.
    pub async fn require(permission: Permission) -> Result<StaffAccount, AppError> {
        let context = app_context()?;
        require_in(&context.database, session_token().as_deref(), permission).await
    }

    /// [`require`] for a handler outside the Leptos renderer (downloads, uploads,
    /// exports), given the database and the session cookie's value.
    pub async fn require_in(
        database: &Database,
        session_token: Option<&str>,
        permission: Permission,
    ) -> Result<StaffAccount, AppError> {
        let account = staff_of_session(database, session_token).await?.ok_or(AppError::StaffSignInRequired)?;
        if !role_allows(account.role, permission) {
            tracing::warn!(staff = account.id, permission = permission.code(), "refused by the permission matrix");
            return Err(AppError::Forbidden);
        }
        if permission.involves_personal_data() && !policy_status_in(database, &account).await?.1 {
            return Err(AppError::PolicyNotAccepted);
        }
        Ok(account)
    }
}

#[cfg(feature = "ssr")]
pub mod personal_data {
    //! The one way staff read a beneficiary's personal data: each read writes its
    //! audit entry (who, whose, what, when, why) before the data is returned, so
    //! nothing is shown that was not recorded.
    use awn_storage::{
        Page, PageRequest,
        audit::{self, AuditEntry},
        casework::{self, CaseFile, QueueFilter, QueueItem},
        now_unix_seconds,
        staff::StaffAccount,
    };

    use crate::{error::AppError, state::app_context};

    /// Why staff open data in the workspace: handling the case.
    pub const PURPOSE_CASEWORK: &str = "casework";
    /// Why the privacy officer opens the privacy registers: handling the
    /// reports, requests and disclosures the law asks to be answered.
    pub const PURPOSE_PRIVACY: &str = "privacy";

    pub async fn case_file(staff: &StaffAccount, request_id: i64, purpose: &str) -> Result<CaseFile, AppError> {
        let context = app_context()?;
        let file = casework::case_file(&context.database, request_id).await?.ok_or(AppError::NotFound)?;
        audit::record(
            &context.database,
            AuditEntry {
                staff_id: staff.id,
                action: "case.view",
                beneficiary_id: Some(file.beneficiary_id),
                request_id: Some(request_id),
                reason: purpose,
            },
            now_unix_seconds(),
        )
        .await?;
        Ok(file)
    }

    /// The queue shows names and ID numbers, so listing it is a read too; a
    /// search by name, ID or reference is a look-up of someone, recorded with
    /// what was looked for.
    pub async fn queue(
        staff: &StaffAccount,
        filter: &QueueFilter,
        purpose: &str,
        request: PageRequest,
    ) -> Result<Page<QueueItem>, AppError> {
        let context = app_context()?;
        let now = now_unix_seconds();
        let items = casework::queue(&context.database, filter, now, request).await?;
        let term = search_term(&filter.search);
        let (action, reason) = if term.is_empty() {
            (QUEUE_VIEW, purpose.to_owned())
        } else {
            (QUEUE_SEARCH, format!("{purpose}:{term}"))
        };
        audit::record(
            &context.database,
            AuditEntry { staff_id: staff.id, action, beneficiary_id: None, request_id: None, reason: &reason },
            now,
        )
        .await?;
        Ok(items)
    }

    /// The audit action of listing the queue.
    pub const QUEUE_VIEW: &str = "queue.view";
    /// The audit action of searching the queue; the reason carries the term.
    pub const QUEUE_SEARCH: &str = "queue.search";
    /// Longest search term kept in the audit log, in characters.
    const MAX_AUDITED_TERM_CHARS: usize = 100;

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

    /// A beneficiary's document (a request's, or a signed consent form), for a
    /// handler outside the Leptos renderer: the read is audited before the
    /// caller gets where its bytes are.
    pub async fn document_in(
        database: &awn_storage::Database,
        staff: &StaffAccount,
        document_id: i64,
        purpose: &str,
    ) -> Result<awn_storage::documents::StoredDocument, AppError> {
        let (document, beneficiary_id, request_id) =
            awn_storage::documents::for_staff(database, document_id).await?.ok_or(AppError::NotFound)?;
        let entry = AuditEntry {
            staff_id: staff.id,
            action: "document.view",
            beneficiary_id: Some(beneficiary_id),
            request_id,
            reason: purpose,
        };
        audit::record(database, entry, now_unix_seconds()).await?;
        Ok(document)
    }

    /// Writes the audit entry of a read that is not about one request.
    async fn record_read(
        staff: &StaffAccount,
        action: &'static str,
        beneficiary_id: Option<i64>,
        purpose: &str,
    ) -> Result<(), AppError> {
        let context = app_context()?;
        let entry = AuditEntry { staff_id: staff.id, action, beneficiary_id, request_id: None, reason: purpose };
        audit::record(&context.database, entry, now_unix_seconds()).await?;
        Ok(())
    }

    /// The inquiry inbox shows askers' names and contacts.
    pub async fn inquiries(
        staff: &StaffAccount,
        status: Option<&str>,
        channel: Option<awn_domain::channels::Channel>,
        purpose: &str,
        request: PageRequest,
    ) -> Result<Page<awn_storage::inquiries::InquiryRow>, AppError> {
        let context = app_context()?;
        let rows = awn_storage::inquiries::inbox(&context.database, status, channel, request).await?;
        record_read(staff, "inquiries.view", None, purpose).await?;
        Ok(rows)
    }

    /// Complaints are about named beneficiaries and their requests.
    pub async fn complaints(
        staff: &StaffAccount,
        status: Option<&str>,
        purpose: &str,
        request: PageRequest,
    ) -> Result<Page<awn_storage::complaints::ComplaintRow>, AppError> {
        let context = app_context()?;
        let rows = awn_storage::complaints::list(&context.database, status, request).await?;
        record_read(staff, "complaints.view", None, purpose).await?;
        Ok(rows)
    }

    /// Violation reports carry reporters' names and contacts and what they saw.
    pub async fn privacy_reports(
        staff: &StaffAccount,
        purpose: &str,
        request: PageRequest,
    ) -> Result<Page<awn_storage::privacy_reports::PrivacyReport>, AppError> {
        let context = app_context()?;
        let page = awn_storage::privacy_reports::list(&context.database, request).await?;
        record_read(staff, "privacy_reports.view", None, purpose).await?;
        Ok(page)
    }

    /// Data requests name their beneficiary and what they asked to correct.
    pub async fn data_requests(
        staff: &StaffAccount,
        purpose: &str,
        request: PageRequest,
    ) -> Result<Page<awn_storage::data_requests::DataRequest>, AppError> {
        let context = app_context()?;
        let page = awn_storage::data_requests::list(&context.database, request).await?;
        record_read(staff, "data_requests.view", None, purpose).await?;
        Ok(page)
    }

    /// Disclosures say what was handed over about whom.
    pub async fn disclosures(
        staff: &StaffAccount,
        purpose: &str,
        request: PageRequest,
    ) -> Result<Page<awn_storage::disclosures::DisclosureRecord>, AppError> {
        let context = app_context()?;
        let page = awn_storage::disclosures::list(&context.database, request).await?;
        record_read(staff, "disclosures.view", None, purpose).await?;
        Ok(page)
    }

    /// Everything about one beneficiary: requests, services, inquiries, complaints.
    pub async fn beneficiary_file(
        staff: &StaffAccount,
        beneficiary_id: i64,
        purpose: &str,
    ) -> Result<BeneficiaryFile, AppError> {
        let context = app_context()?;
        let overview =
            casework::beneficiary_overview(&context.database, beneficiary_id).await?.ok_or(AppError::NotFound)?;
        let inquiries = awn_storage::inquiries::for_beneficiary(&context.database, beneficiary_id).await?;
        let complaints = awn_storage::complaints::for_beneficiary(&context.database, beneficiary_id).await?;
        let consents = awn_storage::consent::register(&context.database, beneficiary_id).await?;
        record_read(staff, "beneficiary.view", Some(beneficiary_id), purpose).await?;
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
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::personal_data::search_term;

    #[test]
    fn an_audited_search_term_keeps_no_whole_id_or_mobile() {
        assert_eq!(search_term("  1000000008 "), "******0008");
        assert_eq!(search_term("٠٥٠١٢٣٤٥٦٧"), "******٤٥٦٧");
        assert_eq!(search_term("محمد\n REQ-2026-0042"), "محمد REQ-2026-0042");
    }
}
