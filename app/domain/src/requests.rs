//! A support request: the wizard's draft and its validation, the states a request
//! goes through (A10–A14 of the policy) and which moves between them are allowed.

use serde::{Deserialize, Serialize};

use crate::calendar::{CalendarDay, TypedDayError};
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

crate::code_table! {
    /// The wizard's steps, in order.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
    pub enum WizardStep {
        #[default]
        Applicant = "applicant",
        Household = "household",
        Support = "support",
        Documents = "documents",
        Declaration = "declaration",
    }
}

impl WizardStep {
    /// 1 for the first step.
    pub fn number(self) -> usize {
        Self::ALL.iter().position(|&step| step == self).map_or(1, |index| index + 1)
    }

    pub fn next(self) -> Option<Self> {
        Self::ALL.get(self.number()).copied()
    }

    pub fn previous(self) -> Option<Self> {
        self.number().checked_sub(2).and_then(|index| Self::ALL.get(index).copied())
    }
}

crate::code_table! {
    /// The applicant's housing.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum Housing {
        Owned = "owned",
        Rented = "rented",
        Family = "family",
        Other = "other",
    }
}

crate::code_table! {
    /// A field of the request form, the wizard's and the staff intake's: its
    /// code is the form's `name=` (and the server functions' argument), the key
    /// of its problem, and is stored with a draft's problems. `ALL` is the order
    /// the form posts them in.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum ApplicantField {
        FullName = "full_name",
        NationalId = "national_id",
        BirthDate = "birth_date",
        Mobile = "mobile",
        Email = "email",
        City = "city",
        District = "district",
        HouseholdMembers = "household_members",
        MonthlyIncome = "monthly_income",
        Housing = "housing",
        SupportKind = "support_kind",
        Description = "description",
        DeclarationAccepted = "declaration_accepted",
        Signature = "signature",
        ConsentSms = "consent_sms",
        ConsentEmail = "consent_email",
    }
}

impl ApplicantField {
    /// The step of the wizard whose form holds the field.
    pub fn step(self) -> WizardStep {
        WizardStep::ALL.into_iter().find(|step| step.fields().contains(&self)).unwrap_or_default()
    }

    /// A checkbox: posted as "on" when ticked, absent when not.
    pub fn is_checkbox(self) -> bool {
        matches!(self, Self::DeclarationAccepted | Self::ConsentSms | Self::ConsentEmail)
    }
}

// Stored and sent as its code (`"national_id"`), as the field's name was
// before it was a type: drafts saved then still read.
impl Serialize for ApplicantField {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for ApplicantField {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let code = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        Self::from_code(&code).ok_or_else(|| serde::de::Error::custom(format!("unknown applicant field {code:?}")))
    }
}

impl WizardStep {
    /// The fields the step's form holds, in the order it shows them.
    pub fn fields(self) -> &'static [ApplicantField] {
        use ApplicantField::*;
        match self {
            WizardStep::Applicant => &[FullName, NationalId, BirthDate, Mobile, Email, City, District],
            WizardStep::Household => &[HouseholdMembers, MonthlyIncome, Housing],
            WizardStep::Support => &[SupportKind, Description],
            WizardStep::Documents => &[],
            WizardStep::Declaration => &[DeclarationAccepted, Signature, ConsentSms, ConsentEmail],
        }
    }
}

/// How the beneficiary leaves a step: the button pressed (`go` in the form).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WizardMove {
    /// On to the next step, if this one is valid.
    Next,
    Back,
    /// Stay, keeping what was typed.
    Save,
    /// Back to an earlier step (the review's "edit" link).
    To(WizardStep),
    Submit,
}

impl WizardMove {
    /// The button's value: "next", "back", "save", "to:<step>" or "submit";
    /// none (a form submitted with Enter) is "next", and a "to:" naming no step
    /// only saves.
    pub fn from_button(go: Option<&str>) -> Self {
        match go.unwrap_or("next") {
            "back" => WizardMove::Back,
            "save" => WizardMove::Save,
            "submit" => WizardMove::Submit,
            target => match target.strip_prefix("to:") {
                Some(code) => WizardStep::from_code(code).map_or(WizardMove::Save, WizardMove::To),
                None => WizardMove::Next,
            },
        }
    }

    /// The step shown after this move from `from`; `from_is_valid` says whether
    /// `from`'s fields passed their checks (only moving on needs it). A jump
    /// goes only backwards; a submission is answered elsewhere and stays.
    pub fn destination(self, from: WizardStep, from_is_valid: bool) -> WizardStep {
        match self {
            WizardMove::Next if from_is_valid => from.next().unwrap_or(from),
            WizardMove::Back => from.previous().unwrap_or(from),
            WizardMove::To(target) if target.number() < from.number() => target,
            WizardMove::Next | WizardMove::Save | WizardMove::To(_) | WizardMove::Submit => from,
        }
    }
}

/// The first step with a problem among `errors`: where a refused submission
/// sends the beneficiary.
pub fn step_to_correct(errors: &[FieldError]) -> Option<WizardStep> {
    errors.iter().map(|error| error.field.step()).min_by_key(|step| step.number())
}

/// What has been typed so far, exactly as typed: a draft keeps even invalid
/// input so that nothing is lost and the beneficiary corrects it in place.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RequestDraft {
    pub step: WizardStep,
    pub full_name: String,
    pub national_id: String,
    pub birth_date: String,
    pub mobile: String,
    pub email: String,
    pub city: String,
    pub district: String,
    pub household_members: String,
    pub monthly_income: String,
    pub housing: String,
    pub support_kind: String,
    pub description: String,
    pub declaration_accepted: bool,
    pub signature: String,
    pub consent_sms: bool,
    pub consent_email: bool,
}

/// Longest text a draft field keeps, so a draft cannot grow without bound.
const MAX_DRAFT_FIELD_CHARS: usize = 4000;

fn is_checked(value: &str) -> bool {
    matches!(value.trim(), "on" | "true" | "1" | "yes")
}

impl RequestDraft {
    /// Sets a field to what was typed (cut to a bounded length); a checkbox is
    /// ticked by "on" (or "true", "1", "yes").
    pub fn set_field(&mut self, field: ApplicantField, value: &str) {
        use ApplicantField::*;
        let text = || value.chars().take(MAX_DRAFT_FIELD_CHARS).collect::<String>();
        match field {
            FullName => self.full_name = text(),
            NationalId => self.national_id = text(),
            BirthDate => self.birth_date = text(),
            Mobile => self.mobile = text(),
            Email => self.email = text(),
            City => self.city = text(),
            District => self.district = text(),
            HouseholdMembers => self.household_members = text(),
            MonthlyIncome => self.monthly_income = text(),
            Housing => self.housing = text(),
            SupportKind => self.support_kind = text(),
            Description => self.description = text(),
            Signature => self.signature = text(),
            DeclarationAccepted => self.declaration_accepted = is_checked(value),
            ConsentSms => self.consent_sms = is_checked(value),
            ConsentEmail => self.consent_email = is_checked(value),
        }
    }

    /// Sets every field a form posted.
    pub fn set_fields(&mut self, posted: &[(ApplicantField, String)]) {
        for (field, value) in posted {
            self.set_field(*field, value);
        }
    }

    /// An unticked checkbox is simply absent from a form post, so before a
    /// step's fields are applied its checkboxes are cleared.
    pub fn clear_step_booleans(&mut self, step: WizardStep) {
        for &field in step.fields() {
            if field.is_checkbox() {
                self.set_field(field, "");
            }
        }
    }
}

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
        DateInFuture = "date_in_future",
        DateTooOld = "date_too_old",
        NumberInvalid = "number_invalid",
        NumberOutOfRange = "number_out_of_range",
        ChoiceInvalid = "choice_invalid",
        DeclarationNotAccepted = "declaration_not_accepted",
        SignatureMismatch = "signature_mismatch",
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

/// A birth date typed as `CalendarDay::parse_typed` reads it, not in the future
/// and not impossibly long ago.
fn parse_birth_date(input: &str, today: CalendarDay) -> Result<CalendarDay, FieldProblem> {
    let date = CalendarDay::parse_typed(input).map_err(|error| match error {
        TypedDayError::Empty => FieldProblem::Required,
        TypedDayError::Invalid => FieldProblem::DateInvalid,
    })?;
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

fn check_household(draft: &RequestDraft, checked: &mut Checked) -> Option<(u32, u64, Housing)> {
    let members =
        checked.field(ApplicantField::HouseholdMembers, number_in(&draft.household_members, 1..=MAX_HOUSEHOLD_MEMBERS));
    let income = checked.field(ApplicantField::MonthlyIncome, number_in(&draft.monthly_income, 0..=MAX_MONTHLY_INCOME));
    let housing = checked.field(
        ApplicantField::Housing,
        match draft.housing.trim() {
            "" => Err(FieldProblem::Required),
            code => Housing::from_code(code).ok_or(FieldProblem::ChoiceInvalid),
        },
    );
    Some((u32::try_from(members?).ok()?, income?, housing?))
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
            check_household(draft, &mut checked);
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
    let household = check_household(draft, &mut checked);
    let support = check_support(draft, kinds, &mut checked);
    let signature = check_declaration(draft, &mut checked);
    match (applicant, household, support, signature) {
        (
            Some(applicant),
            Some((household_members, monthly_income, housing)),
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
