//! Words for the request's states and for input problems, from the locale files.

use awn_domain::{
    duplicates::{DuplicateReason, DuplicateStatus},
    requests::{FieldProblem, Relation, RequestStatus},
};

use crate::i18n::*;

pub fn status_text(locale: Locale, status: RequestStatus) -> String {
    match status {
        RequestStatus::Submitted => td_string!(locale, status.submitted),
        RequestStatus::UnderVerification => td_string!(locale, status.under_verification),
        RequestStatus::MissingInformation => td_string!(locale, status.missing_information),
        RequestStatus::ReferredToResearch => td_string!(locale, status.referred_to_research),
        RequestStatus::WithCommittee => td_string!(locale, status.with_committee),
        RequestStatus::Accepted => td_string!(locale, status.accepted),
        RequestStatus::Rejected => td_string!(locale, status.rejected),
        RequestStatus::RegistrationCompleted => td_string!(locale, status.registration_completed),
        RequestStatus::ServiceDelivered => td_string!(locale, status.service_delivered),
        RequestStatus::Closed => td_string!(locale, status.closed),
    }
    .to_string()
}

pub fn problem_text(locale: Locale, problem: FieldProblem) -> String {
    match problem {
        FieldProblem::Required => td_string!(locale, field_errors.required),
        FieldProblem::TooLong => td_string!(locale, field_errors.too_long),
        FieldProblem::TooShort => td_string!(locale, field_errors.too_short),
        FieldProblem::NameNotArabic => td_string!(locale, field_errors.name_not_arabic),
        FieldProblem::NameTooFewParts => td_string!(locale, field_errors.name_too_few_parts),
        FieldProblem::NationalIdLength => td_string!(locale, field_errors.national_id_length),
        FieldProblem::NationalIdFirstDigit => td_string!(locale, field_errors.national_id_first_digit),
        FieldProblem::NationalIdCheckDigit => td_string!(locale, field_errors.national_id_check_digit),
        FieldProblem::NotDigits => td_string!(locale, field_errors.not_digits),
        FieldProblem::PhoneInvalid => td_string!(locale, field_errors.phone_invalid),
        FieldProblem::EmailInvalid => td_string!(locale, field_errors.email_invalid),
        FieldProblem::DateInvalid => td_string!(locale, field_errors.date_invalid),
        FieldProblem::NoSuchHijriDay => td_string!(locale, field_errors.no_such_hijri_day),
        FieldProblem::DateInFuture => td_string!(locale, field_errors.date_in_future),
        FieldProblem::DateTooOld => td_string!(locale, field_errors.date_too_old),
        FieldProblem::NumberInvalid => td_string!(locale, field_errors.number_invalid),
        FieldProblem::NumberOutOfRange => td_string!(locale, field_errors.number_out_of_range),
        FieldProblem::ChoiceInvalid => td_string!(locale, field_errors.choice_invalid),
        FieldProblem::DeclarationNotAccepted => td_string!(locale, field_errors.declaration_not_accepted),
        FieldProblem::SignatureMismatch => td_string!(locale, field_errors.signature_mismatch),
        FieldProblem::MembersInvalid => td_string!(locale, field_errors.members_invalid),
        FieldProblem::TooManyMembers => td_string!(locale, field_errors.too_many_members),
    }
    .to_string()
}

pub fn relation_text(locale: Locale, relation: Relation) -> String {
    match relation {
        Relation::Spouse => td_string!(locale, household.relation_spouse),
        Relation::Son => td_string!(locale, household.relation_son),
        Relation::Daughter => td_string!(locale, household.relation_daughter),
        Relation::Father => td_string!(locale, household.relation_father),
        Relation::Mother => td_string!(locale, household.relation_mother),
        Relation::Brother => td_string!(locale, household.relation_brother),
        Relation::Sister => td_string!(locale, household.relation_sister),
        Relation::Other => td_string!(locale, household.relation_other),
    }
    .to_string()
}

/// Why two requests were flagged (for staff only).
pub fn duplicate_reason_text(locale: Locale, reason: DuplicateReason) -> String {
    match reason {
        DuplicateReason::NationalId => td_string!(locale, duplicates.reason_national_id),
        DuplicateReason::Mobile => td_string!(locale, duplicates.reason_mobile),
        DuplicateReason::NameAndBirthDate => td_string!(locale, duplicates.reason_name_and_birth_date),
    }
    .to_string()
}

pub fn duplicate_status_text(locale: Locale, status: DuplicateStatus) -> String {
    match status {
        DuplicateStatus::Open => td_string!(locale, duplicates.status_open),
        DuplicateStatus::Confirmed => td_string!(locale, duplicates.status_confirmed),
        DuplicateStatus::Dismissed => td_string!(locale, duplicates.status_dismissed),
    }
    .to_string()
}
