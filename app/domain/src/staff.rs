//! The association's staff (منسوبو الجمعية) in the workspace: their roles, the
//! one permission matrix that says what each role may do, which permission each
//! move of a request needs, and the rules of staff sign-in.
//!
//! Least privilege (B2): every account sees only what its role needs; volunteers
//! and consultants, who are bound by the privacy policy but are not employees,
//! get the narrowest rights.

use serde::{Deserialize, Serialize};

use crate::digits::normalize_digits;
use crate::identity::clean_text;
use crate::requests::RequestStatus;

crate::code_table! {
    /// A staff member's role. One account has one role. Its code is stored in the database.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum StaffRole {
        /// موظف علاقات المستفيدين
        RelationsOfficer = "relations_officer",
        /// مسؤول البحث الاجتماعي
        SocialResearcher = "social_researcher",
        /// عضو لجنة البحث
        CommitteeMember = "committee_member",
        /// موظف تقديم الخدمة
        ServiceOfficer = "service_officer",
        /// مسؤول حماية البيانات
        PrivacyOfficer = "privacy_officer",
        /// مدير النظام
        Admin = "admin",
        /// مستشار
        Consultant = "consultant",
        /// متطوع
        Volunteer = "volunteer",
    }
}

crate::code_table! {
    /// Something the staff workspace lets a person do. Its code is stored with audit
    /// entries and used in URLs.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum Permission {
        /// See the list of requests (it shows beneficiaries' names).
        ViewQueue = "view_queue",
        /// Take a request in from any channel (A10, A18), without reading files back.
        RecordIntake = "record_intake",
        /// Open a beneficiary's file: personal data and documents.
        ViewBeneficiaryFile = "view_beneficiary_file",
        /// Check a request against its documents (A10).
        VerifyRequest = "verify_request",
        /// Send a request to the social research officer (A11).
        ReferToResearch = "refer_to_research",
        /// Record the social study: visit, interview, call (A7, A11).
        RecordStudy = "record_study",
        /// Accept or reject a request as the research committee (A13).
        DecideRequest = "decide_request",
        /// Open the beneficiary's file after acceptance (A14).
        CompleteRegistration = "complete_registration",
        /// Record a service delivered: what, when, by whom (A14).
        RecordService = "record_service",
        /// Close a request (withdrawn, duplicate or finished).
        CloseRequest = "close_request",
        /// Give a request to a staff member to handle (or take it back).
        AssignRequest = "assign_request",
        /// Write to a beneficiary about their request (A3).
        MessageBeneficiary = "message_beneficiary",
        /// Answer an inquiry from any channel (A6).
        AnswerInquiry = "answer_inquiry",
        /// Turn good answers into the public FAQ (A6).
        PublishFaq = "publish_faq",
        /// Track a complaint or objection to its resolution (A2).
        HandleComplaint = "handle_complaint",
        /// Read the staff reference library (A9).
        ViewLibrary = "view_library",
        /// Add and version library documents and the association's policies (A1, A9).
        ManageLibrary = "manage_library",
        /// See aggregate reports, never individuals (C2, B8).
        ViewReports = "view_reports",
        /// Download aggregate reports.
        ExportReports = "export_reports",
        /// Create accounts, assign roles, lock and unlock them.
        ManageStaff = "manage_staff",
        /// Edit the kinds of support offered.
        ManageSupportKinds = "manage_support_kinds",
        /// Change settings such as the committee's period (A13).
        ManageSettings = "manage_settings",
        /// Read who did what to which file.
        ViewAuditLog = "view_audit_log",
        /// Record a disclosure ordered by an authority, with the order's reference (B4).
        RecordDisclosure = "record_disclosure",
        /// Track a reported privacy violation to its outcome (B12).
        HandlePrivacyReport = "handle_privacy_report",
        /// Publish a new version of the privacy policy (B5).
        PublishPrivacyPolicy = "publish_privacy_policy",
        /// Answer a person's request to correct or delete their data, and carry out a deletion.
        AnswerDataRequest = "answer_data_request",
        /// Send the association's news and events to those who consented (B9).
        SendNews = "send_news",
        /// Build, publish and put in use satisfaction surveys (A8, C1).
        ManageSurveys = "manage_surveys",
        /// See the satisfaction dashboard: aggregates only, never a small group (C2, C3).
        ViewSatisfaction = "view_satisfaction",
        /// Invite a beneficiary to a survey by hand.
        InviteToSurvey = "invite_to_survey",
        /// Turn suggestions and low scores into improvement actions and follow them (A17).
        ManageImprovements = "manage_improvements",
        /// Record a consent given on a signed form (sharing with a named party, B7).
        RecordConsent = "record_consent",
        /// See one's own due work and workspace notices ("my work"), and set how
        /// one is reminded. Every role: anyone may be made responsible for an item.
        ViewMyWork = "view_my_work",
        /// Keep the supporters' register and record their contributions (A1, B1):
        /// the front desk, which deals with people; admins run the system, not registers of people.
        ManageSupporters = "manage_supporters",
        /// Keep the cooperative's member register (A1).
        ManageMembers = "manage_members",
        /// Confirm that two requests are about the same person (the files are
        /// linked, never merged) or dismiss the match with a reason (issue 15):
        /// those who verify requests and those who decide them.
        ResolveDuplicates = "resolve_duplicates",
        /// Review volunteer applications, decide them, give accounts, record hours (A18).
        ManageVolunteers = "manage_volunteers",
        /// Add, correct and remove the members of a request's household (issue
        /// 15): those who check the request and those who study it.
        EditHousehold = "edit_household",
    }
}

impl Permission {
    /// Whether using this permission shows people's personal data (B3): a
    /// beneficiary's names, contact means, documents, or who looked at them;
    /// a volunteer applicant's, a supporter's or a member's. Recording an
    /// intake does not: the volunteer types what they are told and cannot read
    /// it back.
    pub fn involves_personal_data(self) -> bool {
        use Permission::*;
        matches!(
            self,
            ViewQueue
                | ViewBeneficiaryFile
                | VerifyRequest
                | ReferToResearch
                | RecordStudy
                | DecideRequest
                | CompleteRegistration
                | RecordService
                | CloseRequest
                | AssignRequest
                | MessageBeneficiary
                | AnswerInquiry
                | HandleComplaint
                | ViewAuditLog
                | RecordDisclosure
                | HandlePrivacyReport
                | AnswerDataRequest
                | InviteToSurvey
                | RecordConsent
                | ManageSupporters
                | ManageMembers
                | ResolveDuplicates
                | ManageVolunteers
                | EditHousehold
        )
    }
}

/// THE permission matrix: everything a role may do, and nothing else.
pub fn permissions(role: StaffRole) -> &'static [Permission] {
    use Permission::*;
    match role {
        // The front desk: takes requests in, checks them, refers the unclear, keeps
        // the beneficiary informed, answers and grows the FAQ (A2, A6, A9–A11).
        StaffRole::RelationsOfficer => &[
            ViewQueue,
            RecordIntake,
            ViewBeneficiaryFile,
            VerifyRequest,
            ReferToResearch,
            CloseRequest,
            AssignRequest,
            MessageBeneficiary,
            AnswerInquiry,
            PublishFaq,
            HandleComplaint,
            ViewLibrary,
            InviteToSurvey,
            ManageImprovements,
            RecordConsent,
            ViewMyWork,
            ManageSupporters,
            ManageMembers,
            ResolveDuplicates,
            ManageVolunteers,
            EditHousehold,
        ],
        // Studies the referred case (in the field too) and explains it to the
        // beneficiary; does not decide (A7, A11).
        StaffRole::SocialResearcher => &[
            ViewQueue,
            ViewBeneficiaryFile,
            RecordStudy,
            MessageBeneficiary,
            AnswerInquiry,
            ViewLibrary,
            ViewMyWork,
            EditHousehold,
        ],
        // Reads the file and the study, then accepts or rejects; nothing else (A13).
        StaffRole::CommitteeMember => {
            &[ViewQueue, ViewBeneficiaryFile, DecideRequest, ViewLibrary, ViewMyWork, ResolveDuplicates]
        }
        // After acceptance: opens the file, delivers and records the service, closes (A14).
        StaffRole::ServiceOfficer => &[
            ViewQueue,
            ViewBeneficiaryFile,
            CompleteRegistration,
            RecordService,
            CloseRequest,
            MessageBeneficiary,
            ViewLibrary,
            InviteToSurvey,
            ViewMyWork,
        ],
        // Oversees access rather than cases: audit log, files it must examine,
        // ordered disclosures, violation reports, the published policy (B4, B5, B12).
        StaffRole::PrivacyOfficer => &[
            ViewBeneficiaryFile,
            ViewAuditLog,
            RecordDisclosure,
            HandlePrivacyReport,
            PublishPrivacyPolicy,
            AnswerDataRequest,
            ViewLibrary,
            RecordConsent,
            ViewMyWork,
        ],
        // Runs the system, not the cases: accounts, support kinds, settings,
        // library and aggregate reports; never a beneficiary's file.
        StaffRole::Admin => &[
            ManageStaff,
            ManageSupportKinds,
            ManageSettings,
            ViewLibrary,
            ManageLibrary,
            ViewReports,
            ExportReports,
            PublishPrivacyPolicy,
            SendNews,
            ManageSurveys,
            ViewSatisfaction,
            ManageImprovements,
            ViewMyWork,
        ],
        // Advises from policies and aggregate figures; no personal data (B2, B8).
        StaffRole::Consultant => &[ViewLibrary, ViewReports, ViewSatisfaction, ViewMyWork],
        // Helps people submit and reads the guides; can never read a file back (B2).
        StaffRole::Volunteer => &[ViewLibrary, RecordIntake, ViewMyWork],
    }
}

/// Whether a role may do something. The only question the rest of the system asks.
pub fn role_allows(role: StaffRole, permission: Permission) -> bool {
    permissions(role).contains(&permission)
}

/// Accounts that can change who sees what, or see every access, need a second
/// factor at sign-in.
pub fn needs_second_factor(role: StaffRole) -> bool {
    matches!(role, StaffRole::Admin | StaffRole::PrivacyOfficer)
}

/// The permission a staff member needs to move a request from one state to
/// another; `None` when the state machine does not allow the move at all.
pub fn permission_to_move(from: RequestStatus, to: RequestStatus) -> Option<Permission> {
    use RequestStatus::*;
    if !from.can_move_to(to) {
        return None;
    }
    Some(match (from, to) {
        (_, Closed) => Permission::CloseRequest,
        (Submitted | MissingInformation, UnderVerification) => Permission::VerifyRequest,
        (UnderVerification, MissingInformation) => Permission::VerifyRequest,
        (UnderVerification, ReferredToResearch) => Permission::ReferToResearch,
        (ReferredToResearch, WithCommittee | MissingInformation) => Permission::RecordStudy,
        // Only the committee accepts or rejects (A13), even at verification.
        (_, Accepted | Rejected) => Permission::DecideRequest,
        (WithCommittee, MissingInformation) => Permission::DecideRequest,
        (Accepted, RegistrationCompleted) => Permission::CompleteRegistration,
        (RegistrationCompleted, ServiceDelivered) => Permission::RecordService,
        _ => return None,
    })
}

/// Failed sign-ins from one address for one username that are checked
/// without waiting: in any burst, at most this many passwords are checked.
pub const MAX_FAILED_SIGN_INS: i64 = 5;
/// Failed sign-ins for one username, from every address together, before the
/// username itself is slowed down (a guesser spread over many addresses).
pub const MAX_FAILED_SIGN_INS_PER_USERNAME: i64 = 20;
/// The first wait once the free failures are used; each further failure doubles it.
pub const FIRST_WAIT_SECONDS: i64 = 60;
/// The longest wait: a throttle, never a lockout that lasts.
pub const LONGEST_WAIT_SECONDS: i64 = 3600;

/// How long the next attempt must wait after `failures` failures in a row,
/// when `free` of them are allowed without waiting: none before `free`, then
/// one minute, doubling with each further failure up to an hour.
pub fn throttle_wait_seconds(failures: i64, free: i64) -> i64 {
    if failures < free {
        return 0;
    }
    let doublings = (failures - free).min(16) as u32;
    FIRST_WAIT_SECONDS.saturating_mul(1 << doublings).min(LONGEST_WAIT_SECONDS)
}

/// Length is what makes a password hard to guess; twelve allows a passphrase.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// An upper bound keeps hashing cheap for the server.
pub const MAX_PASSWORD_CHARS: usize = 128;
/// Shorter usernames are not looked for inside the password: it would refuse too much.
const MIN_USERNAME_CHARS_CHECKED: usize = 3;

crate::code_table! {
    /// Why a new staff password is refused.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
    pub enum PasswordProblem {
        #[error("the password needs at least {MIN_PASSWORD_CHARS} characters")]
        TooShort = "too_short",
        #[error("the password may have at most {MAX_PASSWORD_CHARS} characters")]
        TooLong = "too_long",
        #[error("the password is one character repeated")]
        OneCharacterRepeated = "one_character_repeated",
        #[error("the password contains the username")]
        ContainsUsername = "contains_username",
    }
}

fn comparable(text: &str) -> String {
    normalize_digits(text).to_lowercase()
}

/// Checks a new staff password. Spaces count (passphrases are welcome); case and
/// digit script are ignored when looking for the username, and an email
/// username's part before the @ is looked for too.
pub fn check_new_password(password: &str, username: &str) -> Result<(), PasswordProblem> {
    let length = password.chars().count();
    if length < MIN_PASSWORD_CHARS {
        return Err(PasswordProblem::TooShort);
    }
    if length > MAX_PASSWORD_CHARS {
        return Err(PasswordProblem::TooLong);
    }
    let mut chars = password.chars();
    if let Some(first) = chars.next()
        && chars.all(|c| c == first)
    {
        return Err(PasswordProblem::OneCharacterRepeated);
    }
    let typed = comparable(password);
    let username = comparable(&clean_text(username));
    let local_part = username.split('@').next().unwrap_or_default();
    let found = [username.as_str(), local_part]
        .into_iter()
        .any(|name| name.chars().count() >= MIN_USERNAME_CHARS_CHECKED && typed.contains(name));
    if found {
        return Err(PasswordProblem::ContainsUsername);
    }
    Ok(())
}

#[cfg(test)]
mod tests;
