//! Code tables: enums whose every variant has a stable text code, the one kept
//! in the database, in forms and URLs, and as the key of its name in the
//! translations. [`code_table!`](crate::code_table) writes the enum and its
//! `ALL`, `code` and `from_code` from one list, so a variant cannot be left out
//! of one of them, and two variants cannot share a code (the build fails).

/// Declares an enum whose variants each carry a stable code, and gives it:
///
/// - `pub const ALL: [Self; N]`: every variant, in the order declared (the
///   order lists and choices show them in);
/// - `pub fn code(self) -> &'static str`: the variant's code;
/// - `pub fn from_code(code: &str) -> Option<Self>`: the variant of a code,
///   `None` for anything else (codes are matched exactly, case included).
///
/// The enum is written as usual (attributes, derives and per-variant
/// documentation pass through) with `= "code"` after each variant. Codes are
/// stored: changing one orphans the rows that hold it. Two variants with the
/// same code do not compile.
///
/// ```
/// awn_domain::code_table! {
///     /// How a message reaches a person.
///     #[derive(Debug, Clone, Copy, PartialEq, Eq)]
///     pub enum Channel {
///         /// A text message.
///         Sms = "sms",
///         Email = "email",
///     }
/// }
///
/// assert_eq!(Channel::Sms.code(), "sms");
/// assert_eq!(Channel::from_code("email"), Some(Channel::Email));
/// assert_eq!(Channel::from_code("fax"), None);
/// assert_eq!(Channel::ALL, [Channel::Sms, Channel::Email]);
/// ```
#[macro_export]
macro_rules! code_table {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $(
                $(#[$variant_meta:meta])*
                $variant:ident = $code:literal
            ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        $vis enum $name {
            $(
                $(#[$variant_meta])*
                $variant,
            )+
        }

        impl $name {
            /// Every variant, in the order declared.
            pub const ALL: [$name; [$(stringify!($variant)),+].len()] = [$($name::$variant),+];

            /// The variant's stable code: stored in the database and used in
            /// forms, URLs and translation keys.
            pub fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code,)+
                }
            }

            /// The variant whose code this is; `None` for any other text.
            pub fn from_code(code: &str) -> Option<Self> {
                match code {
                    $($code => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        const _: () = assert!(
            $crate::codes::all_distinct(&[$($code),+]),
            concat!("two variants of ", stringify!($name), " share a code")
        );
    };
}

/// Whether no two of `codes` are the same: checked when a code table compiles.
#[doc(hidden)]
pub const fn all_distinct(codes: &[&str]) -> bool {
    let mut i = 0;
    while i < codes.len() {
        let mut j = i + 1;
        while j < codes.len() {
            if same_text(codes[i], codes[j]) {
                return false;
            }
            j += 1;
        }
        i += 1;
    }
    true
}

const fn same_text(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;
    use std::fmt::Debug;

    use super::all_distinct;
    use crate::{
        audit, channels, complaints, consent, deadlines, duplicates, library, parties, privacy, requests, staff,
        surveys, volunteers, workflow,
    };

    /// Every variant reads back from its code, no two share one, and the codes
    /// are exactly those stored (in `ALL`'s order): a changed code orphans rows.
    fn check_table<T: Copy + PartialEq + Debug>(
        all: &[T],
        code: fn(T) -> &'static str,
        from_code: fn(&str) -> Option<T>,
        stored: &[&str],
    ) {
        let codes: Vec<&str> = all.iter().map(|&value| code(value)).collect();
        assert_eq!(codes, stored);
        for &value in all {
            assert_eq!(from_code(code(value)), Some(value));
            assert_eq!(from_code(&code(value).to_uppercase()), None, "codes are matched exactly");
        }
        let distinct: HashSet<&str> = codes.iter().copied().collect();
        assert_eq!(distinct.len(), codes.len(), "two variants share a code: {codes:?}");
        assert_eq!(from_code(""), None);
        assert_eq!(from_code("no_such_code"), None);
    }

    macro_rules! check {
        ($type:path, [$($code:literal),+ $(,)?]) => {{
            use $type as Table;
            check_table(&Table::ALL, Table::code, Table::from_code, &[$($code),+]);
        }};
    }

    #[test]
    fn every_code_table_round_trips_with_its_stored_codes() {
        check!(
            audit::AuditAction,
            [
                "request.intake",
                "request.start_verification",
                "request.verify",
                "request.study",
                "request.decide",
                "request.register",
                "request.service",
                "request.close",
                "request.assign",
                "request.extend_decision",
                "request.message",
                "case.view",
                "document.view",
                "beneficiary.view",
                "queue.view",
                "queue.search",
                "inquiries.view",
                "inquiry.answer",
                "faq.publish",
                "complaints.view",
                "supporters.view",
                "supporter.view",
                "supporter.add",
                "contribution.add",
                "members.view",
                "member.view",
                "member.add",
                "member.status",
                "complaint.start_review",
                "complaint.resolve",
                "privacy_reports.view",
                "privacy_report.investigate",
                "privacy_report.mark_breach",
                "privacy_report.notified",
                "privacy_report.affected_informed",
                "privacy_report.close",
                "data_requests.view",
                "data_request.answer",
                "data_request.extend",
                "beneficiary.erase",
                "data_request.record",
                "party.export",
                "party.erase",
                "disclosures.view",
                "disclosure.record",
                "consent.change",
                "news.send",
                "policy.publish",
                "audit.search",
                "calendar.holiday_add",
                "calendar.holiday_remove",
                "calendar.hours_set",
                "calendar.rule_set",
                "duplicates.view",
                "duplicate.decide",
                "volunteer.view",
                "volunteer.decide",
                "volunteer.account",
                "volunteer.hours",
                "household.change",
            ]
        );
        check!(privacy::ReportStatus, ["received", "investigating", "closed"]);
        check!(privacy::DataRequestKind, ["correction", "deletion", "access"]);
        check!(privacy::PartyKind, ["beneficiary", "supporter", "member", "volunteer"]);
        check!(privacy::DataRequestChannel, ["website", "phone", "email", "in_person", "letter"]);
        check!(privacy::DataRequestStatus, ["open", "done", "refused"]);
        check!(
            channels::Channel,
            [
                "interview",
                "phone",
                "social_media",
                "letter",
                "help_request",
                "volunteering",
                "website",
                "office_representative"
            ]
        );
        check!(complaints::ComplaintStage, ["open", "in_review", "resolved"]);
        check!(consent::ConsentMethod, ["accept_all", "reject_all", "custom"]);
        check!(consent::ConsentKind, ["news_sms", "news_email", "publication", "sharing"]);
        check!(
            library::LibraryCategory,
            [
                "bylaws",
                "research_guide",
                "support_policy_guide",
                "support_request_form",
                "charity_policies",
                "official_regulations"
            ]
        );
        check!(
            requests::RequestStatus,
            [
                "submitted",
                "under_verification",
                "missing_information",
                "referred_to_research",
                "with_committee",
                "accepted",
                "rejected",
                "registration_completed",
                "service_delivered",
                "closed"
            ]
        );
        check!(requests::WizardStep, ["applicant", "household", "support", "documents", "declaration"]);
        check!(requests::Housing, ["owned", "rented", "family", "other"]);
        check!(
            requests::ApplicantField,
            [
                "full_name",
                "national_id",
                "birth_date",
                "mobile",
                "email",
                "city",
                "district",
                "household_members",
                "monthly_income",
                "housing",
                "support_kind",
                "description",
                "declaration_accepted",
                "signature",
                "consent_sms",
                "consent_email"
            ]
        );
        check!(
            requests::FieldProblem,
            [
                "required",
                "too_long",
                "too_short",
                "name_not_arabic",
                "name_too_few_parts",
                "national_id_length",
                "national_id_first_digit",
                "national_id_check_digit",
                "not_digits",
                "phone_invalid",
                "email_invalid",
                "date_invalid",
                "no_such_hijri_day",
                "date_in_future",
                "date_too_old",
                "number_invalid",
                "number_out_of_range",
                "choice_invalid",
                "declaration_not_accepted",
                "signature_mismatch",
                "members_invalid",
                "too_many_members"
            ]
        );
        check!(requests::Relation, ["spouse", "son", "daughter", "father", "mother", "brother", "sister", "other"]);
        check!(requests::MemberField, ["full_name", "relation", "birth_date", "national_id", "has_income"]);
        check!(duplicates::DuplicateReason, ["national_id", "mobile", "name_and_birth_date"]);
        check!(duplicates::DuplicateStatus, ["open", "confirmed", "dismissed"]);
        check!(
            staff::StaffRole,
            [
                "relations_officer",
                "social_researcher",
                "committee_member",
                "service_officer",
                "privacy_officer",
                "admin",
                "consultant",
                "volunteer"
            ]
        );
        check!(
            staff::Permission,
            [
                "view_queue",
                "record_intake",
                "view_beneficiary_file",
                "verify_request",
                "refer_to_research",
                "record_study",
                "decide_request",
                "complete_registration",
                "record_service",
                "close_request",
                "assign_request",
                "message_beneficiary",
                "answer_inquiry",
                "publish_faq",
                "handle_complaint",
                "view_library",
                "manage_library",
                "view_reports",
                "export_reports",
                "manage_staff",
                "manage_support_kinds",
                "manage_settings",
                "view_audit_log",
                "record_disclosure",
                "handle_privacy_report",
                "publish_privacy_policy",
                "answer_data_request",
                "send_news",
                "manage_surveys",
                "view_satisfaction",
                "invite_to_survey",
                "manage_improvements",
                "record_consent",
                "view_my_work",
                "manage_supporters",
                "manage_members",
                "resolve_duplicates",
                "manage_volunteers",
                "edit_household"
            ]
        );
        check!(volunteers::VolunteerStatus, ["pending", "accepted", "declined"]);
        check!(volunteers::Availability, ["weekdays", "weekends", "evenings", "flexible"]);
        check!(staff::PasswordProblem, ["too_short", "too_long", "one_character_repeated", "contains_username"]);
        check!(surveys::QuestionKind, ["csat", "nps", "single", "multiple", "text"]);
        check!(surveys::SurveyAudience, ["service", "inquiry", "manual", "internal"]);
        check!(
            workflow::WorkflowProblem,
            [
                "required",
                "too_long",
                "choice_invalid",
                "number_invalid",
                "number_out_of_range",
                "date_invalid",
                "date_in_future",
                "date_before_acceptance",
                "already_extended",
                "deadline_passed",
                "phone_invalid",
                "email_invalid",
                "national_id_length",
                "national_id_first_digit",
                "national_id_check_digit"
            ]
        );
        check!(workflow::ChecklistItem, ["items_provided", "data_matches_documents", "documents_valid_on_submission"]);
        check!(workflow::StudyMethod, ["field_visit", "interview", "phone_call"]);
        check!(workflow::Recommendation, ["accept", "reject", "needs_more"]);
        check!(workflow::DecisionKind, ["accept", "reject", "more_information"]);
        check!(
            deadlines::ClockRule,
            [
                "decision",
                "missing_information",
                "complaint_resolution",
                "inquiry_answer",
                "data_request",
                "breach_notification",
                "inform_affected",
                "improvement_action"
            ]
        );
        check!(deadlines::ReminderChannel, ["workspace", "email", "sms"]);
        check!(deadlines::NoticeKind, ["reminder", "escalation", "digest", "lapsed"]);
        check!(deadlines::ClockUnit, ["working_days", "calendar_days", "calendar_hours"]);
        check!(deadlines::ClockPhase, ["running", "paused", "met", "stopped"]);
        check!(deadlines::ClockEventKind, ["started", "paused", "resumed", "extended", "due_set", "met", "stopped"]);
        check!(
            deadlines::SubjectKind,
            ["request", "complaint", "inquiry", "data_request", "privacy_report", "improvement_action"]
        );
        check!(deadlines::WorkBucket, ["overdue", "today", "this_week", "later"]);
        check!(deadlines::HolidayKind, ["eid_al_fitr", "eid_al_adha", "founding_day", "national_day", "other"]);
        check!(deadlines::CalendarKind, ["gregorian", "hijri"]);
        check!(parties::SupporterKind, ["individual", "organisation"]);
        check!(parties::ContributionKind, ["money", "in_kind", "service"]);
        check!(parties::ContributionChannel, ["bank_transfer", "cash", "card", "online", "delivered"]);
        check!(parties::MemberStatus, ["active", "suspended", "left"]);
        check!(deadlines::Weekday, ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]);
    }

    #[test]
    fn a_repeated_code_is_caught() {
        assert!(all_distinct(&["open", "in_review", "resolved"]));
        assert!(all_distinct(&["accept", "accepted", "acceptable"]));
        assert!(!all_distinct(&["open", "in_review", "open"]));
        assert!(!all_distinct(&["a", "a"]));
        assert!(all_distinct(&[]));
    }
}
