//! The household as a list of people (issue 15): each member's name, relation
//! to the applicant, birth date, national ID or iqama (optional) and whether
//! they have an income. The count typed in the form includes the applicant; the
//! list may be left short (staff complete it) but never longer.

use serde::{Deserialize, Serialize};

use super::{FieldProblem, RequestStatus, parse_birth_date};
use crate::calendar::CalendarDay;
use crate::identity::{NameError, NationalId, NationalIdError, clean_text, parse_arabic_full_name};

crate::code_table! {
    /// A household member's relation to the applicant.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum Relation {
        Spouse = "spouse",
        Son = "son",
        Daughter = "daughter",
        Father = "father",
        Mother = "mother",
        Brother = "brother",
        Sister = "sister",
        Other = "other",
    }
}

crate::code_table! {
    /// A field of a household member's row: its code is the key of the row's
    /// value in the form (`members[0][full_name]`).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum MemberField {
        FullName = "full_name",
        Relation = "relation",
        BirthDate = "birth_date",
        NationalId = "national_id",
        HasIncome = "has_income",
    }
}

/// One member's row as typed; a row left wholly blank is no member.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MemberDraft {
    pub full_name: String,
    pub relation: String,
    pub birth_date: String,
    pub national_id: String,
    /// "yes" or "no".
    pub has_income: String,
}

/// The most rows a draft keeps.
pub const MAX_MEMBER_ROWS: usize = 30;
const MAX_MEMBER_FIELD_CHARS: usize = 200;

impl MemberDraft {
    pub fn is_blank(&self) -> bool {
        [&self.full_name, &self.relation, &self.birth_date, &self.national_id].iter().all(|v| v.trim().is_empty())
    }

    /// The row with every value cut to a bounded length.
    pub fn bounded(&self) -> Self {
        let cut = |v: &String| v.chars().take(MAX_MEMBER_FIELD_CHARS).collect::<String>();
        Self {
            full_name: cut(&self.full_name),
            relation: cut(&self.relation),
            birth_date: cut(&self.birth_date),
            national_id: cut(&self.national_id),
            has_income: cut(&self.has_income),
        }
    }
}

/// The rows a form posted, blank ones left out, at most [`MAX_MEMBER_ROWS`].
pub fn kept_rows(rows: &[MemberDraft]) -> Vec<MemberDraft> {
    rows.iter().filter(|row| !row.is_blank()).take(MAX_MEMBER_ROWS).map(MemberDraft::bounded).collect()
}

/// A member whose row has been checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HouseholdMember {
    pub full_name: String,
    pub relation: Relation,
    pub birth_date: CalendarDay,
    pub national_id: Option<NationalId>,
    pub has_income: bool,
}

/// A problem with one field of one member's row (`position` from 0, among the
/// rows kept).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberError {
    pub position: usize,
    pub field: MemberField,
    pub problem: FieldProblem,
}

/// One member's row checked on its own (a member added or corrected later).
pub fn check_member(
    row: &MemberDraft,
    today: CalendarDay,
) -> Result<HouseholdMember, Vec<(MemberField, FieldProblem)>> {
    check_row(&row.bounded(), today)
}

/// Whether the applicant may still correct their household: until the
/// committee has decided (afterwards only staff may).
pub fn household_open_to_applicant(status: RequestStatus) -> bool {
    use RequestStatus::*;
    matches!(status, Submitted | UnderVerification | MissingInformation | ReferredToResearch | WithCommittee)
}

fn check_row(row: &MemberDraft, today: CalendarDay) -> Result<HouseholdMember, Vec<(MemberField, FieldProblem)>> {
    let mut problems = Vec::new();
    let full_name = parse_arabic_full_name(&row.full_name)
        .map_err(|error| match error {
            NameError::Empty => FieldProblem::Required,
            NameError::NotArabic => FieldProblem::NameNotArabic,
            NameError::TooFewParts => FieldProblem::NameTooFewParts,
            NameError::TooLong => FieldProblem::TooLong,
        })
        .map_err(|p| problems.push((MemberField::FullName, p)))
        .ok();
    let relation = match row.relation.trim() {
        "" => Err(FieldProblem::Required),
        code => Relation::from_code(code).ok_or(FieldProblem::ChoiceInvalid),
    }
    .map_err(|p| problems.push((MemberField::Relation, p)))
    .ok();
    let birth_date =
        parse_birth_date(&row.birth_date, today).map_err(|p| problems.push((MemberField::BirthDate, p))).ok();
    let national_id = if clean_text(&row.national_id).is_empty() {
        Some(None)
    } else {
        NationalId::parse(&row.national_id)
            .map(Some)
            .map_err(|error| match error {
                NationalIdError::Empty => FieldProblem::Required,
                NationalIdError::NotDigits => FieldProblem::NotDigits,
                NationalIdError::WrongLength => FieldProblem::NationalIdLength,
                NationalIdError::WrongFirstDigit => FieldProblem::NationalIdFirstDigit,
                NationalIdError::CheckDigit => FieldProblem::NationalIdCheckDigit,
            })
            .map_err(|p| problems.push((MemberField::NationalId, p)))
            .ok()
    };
    let has_income = match row.has_income.trim() {
        "yes" | "on" | "true" => Ok(true),
        "no" | "" => Ok(false),
        _ => Err(FieldProblem::ChoiceInvalid),
    }
    .map_err(|p| problems.push((MemberField::HasIncome, p)))
    .ok();
    match (full_name, relation, birth_date, national_id, has_income) {
        (Some(full_name), Some(relation), Some(birth_date), Some(national_id), Some(has_income))
            if problems.is_empty() =>
        {
            Ok(HouseholdMember { full_name, relation, birth_date, national_id, has_income })
        }
        _ => Err(problems),
    }
}

/// Every kept row checked; the errors of all rows at once.
pub fn check_members(rows: &[MemberDraft], today: CalendarDay) -> Result<Vec<HouseholdMember>, Vec<MemberError>> {
    let mut members = Vec::new();
    let mut errors = Vec::new();
    for (position, row) in kept_rows(rows).iter().enumerate() {
        match check_row(row, today) {
            Ok(member) => members.push(member),
            Err(problems) => {
                errors.extend(problems.into_iter().map(|(field, problem)| MemberError { position, field, problem }))
            }
        }
    }
    if errors.is_empty() { Ok(members) } else { Err(errors) }
}

/// Whether `listed` members fit a household of `count` people, the applicant
/// being one of them.
pub fn fits_count(listed: usize, count: u64) -> bool {
    u64::try_from(listed).is_ok_and(|listed| listed < count.max(1))
}
