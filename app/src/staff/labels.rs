//! Words for the staff workspace's codes (roles, channels, workflow choices and
//! form problems), from the locale files.

use awn_domain::{
    channels::Channel,
    requests::Housing,
    staff::{Permission, StaffRole},
    workflow::{DecisionKind, Recommendation, StudyMethod, WorkflowProblem},
};

use crate::i18n::*;

pub fn role_text(locale: Locale, role: StaffRole) -> String {
    match role {
        StaffRole::RelationsOfficer => td_string!(locale, staff.roles.relations_officer),
        StaffRole::SocialResearcher => td_string!(locale, staff.roles.social_researcher),
        StaffRole::CommitteeMember => td_string!(locale, staff.roles.committee_member),
        StaffRole::ServiceOfficer => td_string!(locale, staff.roles.service_officer),
        StaffRole::PrivacyOfficer => td_string!(locale, staff.roles.privacy_officer),
        StaffRole::Admin => td_string!(locale, staff.roles.admin),
        StaffRole::Consultant => td_string!(locale, staff.roles.consultant),
        StaffRole::Volunteer => td_string!(locale, staff.roles.volunteer),
    }
    .to_string()
}

pub fn channel_text(locale: Locale, channel: Channel) -> String {
    match channel {
        Channel::Interview => td_string!(locale, channels.interview),
        Channel::Phone => td_string!(locale, channels.phone),
        Channel::SocialMedia => td_string!(locale, channels.social_media),
        Channel::Letter => td_string!(locale, channels.letter),
        Channel::HelpRequestService => td_string!(locale, channels.help_request),
        Channel::VolunteeringService => td_string!(locale, channels.volunteering),
        Channel::Website => td_string!(locale, channels.website),
        Channel::OfficeRepresentative => td_string!(locale, channels.office_representative),
    }
    .to_string()
}

pub fn method_text(locale: Locale, method: StudyMethod) -> String {
    match method {
        StudyMethod::FieldVisit => td_string!(locale, staff.method_field_visit),
        StudyMethod::Interview => td_string!(locale, staff.method_interview),
        StudyMethod::PhoneCall => td_string!(locale, staff.method_phone_call),
    }
    .to_string()
}

pub fn recommendation_text(locale: Locale, recommendation: Recommendation) -> String {
    match recommendation {
        Recommendation::Accept => td_string!(locale, staff.recommend_accept),
        Recommendation::Reject => td_string!(locale, staff.recommend_reject),
        Recommendation::NeedsMore => td_string!(locale, staff.recommend_needs_more),
    }
    .to_string()
}

pub fn decision_text(locale: Locale, decision: DecisionKind) -> String {
    match decision {
        DecisionKind::Accept => td_string!(locale, staff.decision_accept),
        DecisionKind::Reject => td_string!(locale, staff.decision_reject),
        DecisionKind::MoreInformation => td_string!(locale, staff.decision_more_information),
    }
    .to_string()
}

pub fn workflow_problem_text(locale: Locale, problem: WorkflowProblem) -> String {
    match problem {
        WorkflowProblem::Required => td_string!(locale, field_errors.required),
        WorkflowProblem::TooLong => td_string!(locale, field_errors.too_long),
        WorkflowProblem::ChoiceInvalid => td_string!(locale, field_errors.choice_invalid),
        WorkflowProblem::NumberInvalid => td_string!(locale, field_errors.number_invalid),
        WorkflowProblem::NumberOutOfRange => td_string!(locale, field_errors.number_out_of_range),
        WorkflowProblem::DateInvalid => td_string!(locale, field_errors.date_invalid),
        WorkflowProblem::DateInFuture => td_string!(locale, field_errors.date_in_future),
        WorkflowProblem::DateBeforeAcceptance => td_string!(locale, staff.date_before_acceptance),
        WorkflowProblem::AlreadyExtended => td_string!(locale, staff.already_extended),
        WorkflowProblem::DeadlinePassed => td_string!(locale, staff.deadline_passed),
        WorkflowProblem::PhoneInvalid => td_string!(locale, field_errors.phone_invalid),
        WorkflowProblem::EmailInvalid => td_string!(locale, field_errors.email_invalid),
        WorkflowProblem::NationalIdLength => td_string!(locale, field_errors.national_id_length),
        WorkflowProblem::NationalIdFirstDigit => td_string!(locale, field_errors.national_id_first_digit),
        WorkflowProblem::NationalIdCheckDigit => td_string!(locale, field_errors.national_id_check_digit),
    }
    .to_string()
}

pub fn housing_text(locale: Locale, housing: Housing) -> String {
    match housing {
        Housing::Owned => td_string!(locale, wizard.housing_owned),
        Housing::Rented => td_string!(locale, wizard.housing_rented),
        Housing::Family => td_string!(locale, wizard.housing_family),
        Housing::Other => td_string!(locale, wizard.housing_other),
    }
    .to_string()
}

/// The name of the workspace section a permission opens (see `super::SECTIONS`).
pub fn section_text(locale: Locale, permission: Permission) -> String {
    match permission {
        Permission::ViewQueue => td_string!(locale, staff.queue_title),
        Permission::RecordIntake => td_string!(locale, staff.new_intake),
        Permission::AnswerInquiry => td_string!(locale, inquiries.title),
        Permission::HandleComplaint => td_string!(locale, complaints.staff_title),
        Permission::ViewLibrary => td_string!(locale, library.title),
        Permission::ViewReports => td_string!(locale, reports.title),
        Permission::ViewAuditLog => td_string!(locale, audit.title),
        Permission::HandlePrivacyReport => td_string!(locale, violation.staff_title),
        Permission::RecordDisclosure => td_string!(locale, disclosures.title),
        Permission::AnswerDataRequest => td_string!(locale, data_requests.title),
        Permission::PublishPrivacyPolicy => td_string!(locale, policy_admin.title),
        Permission::SendNews => td_string!(locale, news.title),
        Permission::ViewSatisfaction => td_string!(locale, satisfaction.title),
        Permission::ManageSurveys => td_string!(locale, surveys_admin.title),
        Permission::ManageImprovements => td_string!(locale, improvements.title),
        Permission::ManageVolunteers => td_string!(locale, volunteers.staff_title),
        Permission::ViewMyWork => td_string!(locale, work.title),
        Permission::ManageSettings => td_string!(locale, calendar.title),
        Permission::ManageSupporters => td_string!(locale, registers.supporters_title),
        Permission::ManageMembers => td_string!(locale, registers.members_title),
        _ => td_string!(locale, staff.home_title),
    }
    .to_string()
}

/// Every channel as (code, words), for a choice of channel.
pub fn channel_options(locale: Locale) -> Vec<(String, String)> {
    Channel::ALL.into_iter().map(|channel| (channel.code().to_owned(), channel_text(locale, channel))).collect()
}

/// A clock rule's name (shared: every page that shows a deadline names it so).
pub fn rule_text(locale: Locale, rule: awn_domain::deadlines::ClockRule) -> String {
    use awn_domain::deadlines::ClockRule;
    match rule {
        ClockRule::Decision => td_string!(locale, deadlines.rule.decision),
        ClockRule::MissingInformation => td_string!(locale, deadlines.rule.missing_information),
        ClockRule::ComplaintResolution => td_string!(locale, deadlines.rule.complaint_resolution),
        ClockRule::InquiryAnswer => td_string!(locale, deadlines.rule.inquiry_answer),
        ClockRule::DataRequest => td_string!(locale, deadlines.rule.data_request),
        ClockRule::BreachNotification => td_string!(locale, deadlines.rule.breach_notification),
        ClockRule::InformAffected => td_string!(locale, deadlines.rule.inform_affected),
        ClockRule::ImprovementAction => td_string!(locale, deadlines.rule.improvement_action),
    }
    .to_string()
}

/// What a clock rule promises, in a sentence.
pub fn rule_help(locale: Locale, rule: awn_domain::deadlines::ClockRule) -> String {
    use awn_domain::deadlines::ClockRule;
    match rule {
        ClockRule::Decision => td_string!(locale, deadlines.rule_help.decision),
        ClockRule::MissingInformation => td_string!(locale, deadlines.rule_help.missing_information),
        ClockRule::ComplaintResolution => td_string!(locale, deadlines.rule_help.complaint_resolution),
        ClockRule::InquiryAnswer => td_string!(locale, deadlines.rule_help.inquiry_answer),
        ClockRule::DataRequest => td_string!(locale, deadlines.rule_help.data_request),
        ClockRule::BreachNotification => td_string!(locale, deadlines.rule_help.breach_notification),
        ClockRule::InformAffected => td_string!(locale, deadlines.rule_help.inform_affected),
        ClockRule::ImprovementAction => td_string!(locale, deadlines.rule_help.improvement_action),
    }
    .to_string()
}
