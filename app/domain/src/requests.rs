//! A support request: the wizard's draft and its validation, the states a request
//! goes through (A10–A14 of the policy) and which moves between them are allowed.

use serde::{Deserialize, Serialize};

use crate::calendar::{CalendarDay, TypedDay, TypedDayError};
use crate::digits::{NumberInputError, parse_whole_number};
use crate::identity::{
    EmailError, NameError, NationalId, NationalIdError, PhoneError, SaudiMobile, clean_text, comparable_name,
    parse_arabic_full_name, parse_optional_email,
};

crate::code_table! {
    /// Where a request stands. The order of `ALL` is the order of a request's life.
    /// Its code is stored in the database and used in URLs and CSS classes.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum RequestStatus {
        Submitted = "submitted",
        UnderVerification = "under_verification",
        MissingInformation = "missing_information",
        ReferredToResearch = "referred_to_research",
        WithCommittee = "with_committee",
        Accepted = "accepted",
        Rejected = "rejected",
        RegistrationCompleted = "registration_completed",
        ServiceDelivered = "service_delivered",
        Closed = "closed",
    }
}

impl RequestStatus {
    /// Whether the request still counts as open: a second request of the same
    /// kind is refused while one is open.
    pub fn is_open(self) -> bool {
        !matches!(self, RequestStatus::Rejected | RequestStatus::Closed)
    }

    /// The states this one may move to.
    pub fn allowed_next(self) -> &'static [RequestStatus] {
        use RequestStatus::*;
        match self {
            Submitted => &[UnderVerification, Closed],
            UnderVerification => &[MissingInformation, ReferredToResearch, Rejected, Closed],
            MissingInformation => &[UnderVerification, Closed],
            ReferredToResearch => &[WithCommittee, MissingInformation, Closed],
            WithCommittee => &[Accepted, Rejected, MissingInformation],
            Accepted => &[RegistrationCompleted, Closed],
            RegistrationCompleted => &[ServiceDelivered, Closed],
            ServiceDelivered => &[Closed],
            Rejected | Closed => &[],
        }
    }

    pub fn can_move_to(self, next: RequestStatus) -> bool {
        self.allowed_next().contains(&next)
    }

    /// A rejection and a request for missing information must tell the
    /// beneficiary why (A12: the reason of a refusal is given).
    pub fn needs_reason(self) -> bool {
        matches!(self, RequestStatus::Rejected | RequestStatus::MissingInformation)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("a request cannot move from {from:?} to {to:?}")]
    NotAllowed { from: RequestStatus, to: RequestStatus },
    #[error("this decision needs a reason the beneficiary can read")]
    ReasonRequired,
}

/// Checks one move of a request, with the reason given for it.
pub fn check_transition(from: RequestStatus, to: RequestStatus, reason: &str) -> Result<(), TransitionError> {
    if !from.can_move_to(to) {
        return Err(TransitionError::NotAllowed { from, to });
    }
    if to.needs_reason() && clean_text(reason).is_empty() {
        return Err(TransitionError::ReasonRequired);
    }
    Ok(())
}

/// The number a beneficiary quotes on the phone: AWN-2026-000042.
pub fn reference_number(year: i32, id: i64) -> String {
    format!("AWN-{year}-{id:06}")
}

mod household;
mod wizard;

pub use household::{
    HouseholdMember, MAX_MEMBER_ROWS, MemberDraft, MemberError, MemberField, Relation, check_member, check_members,
    fits_count, household_open_to_applicant, kept_rows,
};
pub use wizard::{ApplicantField, Housing, RequestDraft, WizardMove, WizardStep, step_to_correct};

crate::code_table! {
    /// What is wrong with one field.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    pub enum FieldProblem {
        Required = "required",
        TooLong = "too_long",
        TooShort = "too_short",
        NameNotArabic = "name_not_arabic",
        NameTooFewParts = "name_too_few_parts",
        NationalIdLength = "national_id_length",
        NationalIdFirstDigit = "national_id_first_digit",
        NationalIdCheckDigit = "national_id_check_digit",
        NotDigits = "not_digits",
        PhoneInvalid = "phone_invalid",
        EmailInvalid = "email_invalid",
        DateInvalid = "date_invalid",
        /// A Hijri day its month does not have (the 30th of a 29-day month).
        NoSuchHijriDay = "no_such_hijri_day",
        DateInFuture = "date_in_future",
        DateTooOld = "date_too_old",
        NumberInvalid = "number_invalid",
        NumberOutOfRange = "number_out_of_range",
        ChoiceInvalid = "choice_invalid",
        DeclarationNotAccepted = "declaration_not_accepted",
        SignatureMismatch = "signature_mismatch",
        /// A household member's row has a problem (shown on the row).
        MembersInvalid = "members_invalid",
        /// More members listed than the household's count allows.
        TooManyMembers = "too_many_members",
    }
}

/// A problem with a named field of the form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: ApplicantField,
    pub problem: FieldProblem,
}

/// A request whose every field has been checked and normalised.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidRequest {
    pub full_name: String,
    pub national_id: NationalId,
    pub birth_date: CalendarDay,
    pub mobile: SaudiMobile,
    pub email: Option<String>,
    pub city: String,
    pub district: String,
    pub household_members: u32,
    /// The members listed besides the applicant (possibly fewer than the count).
    pub members: Vec<HouseholdMember>,
    pub monthly_income: u64,
    pub housing: Housing,
    pub support_kind: String,
    pub description: String,
    pub signature: String,
    pub consent_sms: bool,
    pub consent_email: bool,
}

pub const MAX_PLACE_CHARS: usize = 80;
pub const MAX_HOUSEHOLD_MEMBERS: u64 = 30;
pub const MAX_MONTHLY_INCOME: u64 = 1_000_000;
pub const MIN_DESCRIPTION_CHARS: usize = 10;
pub const MAX_DESCRIPTION_CHARS: usize = 2000;
pub const MAX_AGE_YEARS: i32 = 120;

/// A birth date typed in either calendar as [`TypedDay::parse`] reads it (many
/// Saudis know theirs in Hijri), as its Gregorian day, not in the future and
/// not impossibly long ago.
fn parse_birth_date(input: &str, today: CalendarDay) -> Result<CalendarDay, FieldProblem> {
    let date = TypedDay::parse(input)
        .map_err(|error| match error {
            TypedDayError::Empty => FieldProblem::Required,
            TypedDayError::Invalid => FieldProblem::DateInvalid,
            TypedDayError::NoSuchHijriDay => FieldProblem::NoSuchHijriDay,
        })?
        .gregorian;
    if date.sort_key() > today.sort_key() {
        return Err(FieldProblem::DateInFuture);
    }
    if date.sort_key() < (today.year - MAX_AGE_YEARS, today.month, today.day) {
        return Err(FieldProblem::DateTooOld);
    }
    Ok(date)
}

fn required_text(value: &str, max_chars: usize) -> Result<String, FieldProblem> {
    let text = clean_text(value);
    if text.is_empty() {
        Err(FieldProblem::Required)
    } else if text.chars().count() > max_chars {
        Err(FieldProblem::TooLong)
    } else {
        Ok(text)
    }
}

fn number_in(value: &str, range: std::ops::RangeInclusive<u64>) -> Result<u64, FieldProblem> {
    match parse_whole_number(value) {
        Ok(number) if range.contains(&number) => Ok(number),
        Ok(_) | Err(NumberInputError::TooLarge) => Err(FieldProblem::NumberOutOfRange),
        Err(NumberInputError::Empty) => Err(FieldProblem::Required),
        Err(NumberInputError::NotANumber) => Err(FieldProblem::NumberInvalid),
    }
}

/// Every field checked at once, so all of a step's errors show together.
struct Checked {
    errors: Vec<FieldError>,
}

impl Checked {
    fn field<T>(&mut self, field: ApplicantField, result: Result<T, FieldProblem>) -> Option<T> {
        result.map_err(|problem| self.errors.push(FieldError { field, problem })).ok()
    }
}

struct Applicant {
    full_name: String,
    national_id: NationalId,
    birth_date: CalendarDay,
    mobile: SaudiMobile,
    email: Option<String>,
    city: String,
    district: String,
}

fn check_applicant(draft: &RequestDraft, today: CalendarDay, checked: &mut Checked) -> Option<Applicant> {
    let full_name = checked.field(
        ApplicantField::FullName,
        parse_arabic_full_name(&draft.full_name).map_err(|error| match error {
            NameError::Empty => FieldProblem::Required,
            NameError::NotArabic => FieldProblem::NameNotArabic,
            NameError::TooFewParts => FieldProblem::NameTooFewParts,
            NameError::TooLong => FieldProblem::TooLong,
        }),
    );
    let national_id = checked.field(
        ApplicantField::NationalId,
        NationalId::parse(&draft.national_id).map_err(|error| match error {
            NationalIdError::Empty => FieldProblem::Required,
            NationalIdError::NotDigits => FieldProblem::NotDigits,
            NationalIdError::WrongLength => FieldProblem::NationalIdLength,
            NationalIdError::WrongFirstDigit => FieldProblem::NationalIdFirstDigit,
            NationalIdError::CheckDigit => FieldProblem::NationalIdCheckDigit,
        }),
    );
    let birth_date = checked.field(ApplicantField::BirthDate, parse_birth_date(&draft.birth_date, today));
    let mobile = checked.field(
        ApplicantField::Mobile,
        SaudiMobile::parse(&draft.mobile).map_err(|error| match error {
            PhoneError::Empty => FieldProblem::Required,
            PhoneError::Invalid => FieldProblem::PhoneInvalid,
        }),
    );
    let email = checked.field(
        ApplicantField::Email,
        parse_optional_email(&draft.email).map_err(|error| match error {
            EmailError::Invalid => FieldProblem::EmailInvalid,
            EmailError::TooLong => FieldProblem::TooLong,
        }),
    );
    let city = checked.field(ApplicantField::City, required_text(&draft.city, MAX_PLACE_CHARS));
    let district = checked.field(ApplicantField::District, required_text(&draft.district, MAX_PLACE_CHARS));
    Some(Applicant {
        full_name: full_name?,
        national_id: national_id?,
        birth_date: birth_date?,
        mobile: mobile?,
        email: email?,
        city: city?,
        district: district?,
    })
}

type Household = (u32, Vec<HouseholdMember>, u64, Housing);

fn check_household(draft: &RequestDraft, today: CalendarDay, checked: &mut Checked) -> Option<Household> {
    let members =
        checked.field(ApplicantField::HouseholdMembers, number_in(&draft.household_members, 1..=MAX_HOUSEHOLD_MEMBERS));
    let listed = match check_members(&draft.members, today) {
        Ok(listed) => Some(listed),
        Err(_) => {
            checked
                .errors
                .push(FieldError { field: ApplicantField::HouseholdMembers, problem: FieldProblem::MembersInvalid });
            None
        }
    };
    if let (Some(count), Some(listed)) = (members, &listed)
        && !fits_count(listed.len(), count)
    {
        checked
            .errors
            .push(FieldError { field: ApplicantField::HouseholdMembers, problem: FieldProblem::TooManyMembers });
    }
    let income = checked.field(ApplicantField::MonthlyIncome, number_in(&draft.monthly_income, 0..=MAX_MONTHLY_INCOME));
    let housing = checked.field(
        ApplicantField::Housing,
        match draft.housing.trim() {
            "" => Err(FieldProblem::Required),
            code => Housing::from_code(code).ok_or(FieldProblem::ChoiceInvalid),
        },
    );
    Some((u32::try_from(members?).ok()?, listed?, income?, housing?))
}

fn check_support(draft: &RequestDraft, kinds: &[String], checked: &mut Checked) -> Option<(String, String)> {
    let kind = checked.field(
        ApplicantField::SupportKind,
        match draft.support_kind.trim() {
            "" => Err(FieldProblem::Required),
            code if kinds.iter().any(|kind| kind == code) => Ok(code.to_string()),
            _ => Err(FieldProblem::ChoiceInvalid),
        },
    );
    // Line breaks matter in a description; only the ends are trimmed.
    let description: String = draft.description.chars().filter(|&c| c != '\u{0640}').collect();
    let description = description.trim().to_string();
    let length = description.chars().count();
    let description = checked.field(
        ApplicantField::Description,
        if length == 0 {
            Err(FieldProblem::Required)
        } else if length < MIN_DESCRIPTION_CHARS {
            Err(FieldProblem::TooShort)
        } else if length > MAX_DESCRIPTION_CHARS {
            Err(FieldProblem::TooLong)
        } else {
            Ok(description)
        },
    );
    Some((kind?, description?))
}

fn check_declaration(draft: &RequestDraft, checked: &mut Checked) -> Option<String> {
    let accepted = checked.field(
        ApplicantField::DeclarationAccepted,
        if draft.declaration_accepted { Ok(()) } else { Err(FieldProblem::DeclarationNotAccepted) },
    );
    let signature = clean_text(&draft.signature);
    let signature = checked.field(
        ApplicantField::Signature,
        if signature.is_empty() {
            Err(FieldProblem::Required)
        } else if comparable_name(&signature) != comparable_name(&draft.full_name) {
            Err(FieldProblem::SignatureMismatch)
        } else {
            Ok(signature)
        },
    );
    accepted?;
    signature
}

/// The errors of one step of the wizard; an empty list lets the beneficiary on.
/// `kinds` are the codes of the support kinds currently offered.
pub fn validate_step(draft: &RequestDraft, step: WizardStep, today: CalendarDay, kinds: &[String]) -> Vec<FieldError> {
    let mut checked = Checked { errors: Vec::new() };
    match step {
        WizardStep::Applicant => {
            check_applicant(draft, today, &mut checked);
        }
        WizardStep::Household => {
            check_household(draft, today, &mut checked);
        }
        WizardStep::Support => {
            check_support(draft, kinds, &mut checked);
        }
        // Documents are optional at submission: staff ask for what is missing.
        WizardStep::Documents => {}
        WizardStep::Declaration => {
            check_declaration(draft, &mut checked);
        }
    }
    checked.errors
}

/// The whole draft checked for submission.
pub fn validate_request(
    draft: &RequestDraft,
    today: CalendarDay,
    kinds: &[String],
) -> Result<ValidRequest, Vec<FieldError>> {
    let mut checked = Checked { errors: Vec::new() };
    let applicant = check_applicant(draft, today, &mut checked);
    let household = check_household(draft, today, &mut checked);
    let support = check_support(draft, kinds, &mut checked);
    let signature = check_declaration(draft, &mut checked);
    match (applicant, household, support, signature) {
        (
            Some(applicant),
            Some((household_members, members, monthly_income, housing)),
            Some((support_kind, description)),
            Some(signature),
        ) if checked.errors.is_empty() => Ok(ValidRequest {
            full_name: applicant.full_name,
            national_id: applicant.national_id,
            birth_date: applicant.birth_date,
            mobile: applicant.mobile,
            email: applicant.email,
            city: applicant.city,
            district: applicant.district,
            household_members,
            members,
            monthly_income,
            housing,
            support_kind,
            description,
            signature,
            consent_sms: draft.consent_sms,
            consent_email: draft.consent_email,
        }),
        _ => Err(checked.errors),
    }
}

#[cfg(test)]
mod tests;
