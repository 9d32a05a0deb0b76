//! The wizard's draft: its steps, the applicant's fields each step holds (named
//! once, here: the form's names, the keys of their problems), what the
//! beneficiary typed, and how the buttons move between the steps.

use serde::{Deserialize, Serialize};

use super::FieldError;

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
    /// The household's members besides the applicant, as typed (blank rows left out).
    pub members: Vec<super::MemberDraft>,
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
