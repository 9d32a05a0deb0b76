//! The other people the association deals with (A1, B1): supporters (donors)
//! with their contributions, and the cooperative's members. Their forms are
//! checked here; their contact and identity fields are kept like a
//! beneficiary's (encrypted, every staff read audited).

use serde::{Deserialize, Serialize};

use crate::{
    calendar::CalendarDay,
    identity::{NationalId, NationalIdError, SaudiMobile, parse_optional_email},
    workflow::{
        Checked, MAX_SHORT_TEXT_CHARS, WorkflowError, WorkflowProblem, optional_line, parse_day, required_line,
    },
};

crate::code_table! {
    /// Who a supporter is.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum SupporterKind {
        Individual = "individual",
        Organisation = "organisation",
    }
}

crate::code_table! {
    /// What a contribution is.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum ContributionKind {
        Money = "money",
        InKind = "in_kind",
        Service = "service",
    }
}

crate::code_table! {
    /// How a contribution came in.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum ContributionChannel {
        BankTransfer = "bank_transfer",
        Cash = "cash",
        Card = "card",
        Online = "online",
        Delivered = "delivered",
    }
}

crate::code_table! {
    /// Where a member stands in the cooperative.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum MemberStatus {
        Active = "active",
        Suspended = "suspended",
        Left = "left",
    }
}

/// A supporter as staff typed it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupporterForm {
    pub kind: String,
    pub name: String,
    pub mobile: String,
    pub email: String,
    /// "on" when the supporter asks to stay anonymous.
    pub anonymous: String,
    /// "on" when they agreed to receive the association's news (B9).
    pub consent_news: String,
}

/// A supporter that may be recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Supporter {
    pub kind: SupporterKind,
    pub name: String,
    pub mobile: Option<SaudiMobile>,
    pub email: Option<String>,
    pub anonymous: bool,
    /// Agreed to news when added: written to the consent register (B9), which
    /// holds it from then on.
    pub consent_news: bool,
}

fn ticked(value: &str) -> bool {
    matches!(value.trim(), "on" | "1" | "true" | "yes")
}

fn optional_mobile(value: &str) -> Result<Option<SaudiMobile>, WorkflowProblem> {
    if value.trim().is_empty() {
        return Ok(None);
    }
    SaudiMobile::parse(value).map(Some).map_err(|_| WorkflowProblem::PhoneInvalid)
}

fn choice<T>(value: &str, from_code: impl Fn(&str) -> Option<T>) -> Result<T, WorkflowProblem> {
    match value.trim() {
        "" => Err(WorkflowProblem::Required),
        code => from_code(code).ok_or(WorkflowProblem::ChoiceInvalid),
    }
}

/// Checks a supporter: a kind and a name; a mobile and an email only if given, and valid.
pub fn check_supporter(form: &SupporterForm) -> Result<Supporter, Vec<WorkflowError>> {
    let mut checked = Checked::default();
    let kind = checked.field("kind", choice(&form.kind, SupporterKind::from_code));
    let name = checked.field("name", required_line(&form.name, MAX_SHORT_TEXT_CHARS));
    let mobile = checked.field("mobile", optional_mobile(&form.mobile));
    let email = checked.field("email", parse_optional_email(&form.email).map_err(|_| WorkflowProblem::EmailInvalid));
    let supporter = (|| {
        Some(Supporter {
            kind: kind?,
            name: name?,
            mobile: mobile?,
            email: email?,
            anonymous: ticked(&form.anonymous),
            consent_news: ticked(&form.consent_news),
        })
    })();
    checked.finish(supporter)
}

/// A contribution as staff typed it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContributionForm {
    pub kind: String,
    /// In riyals, up to two decimals (digits in any script); required for money.
    pub amount: String,
    pub received_on: String,
    pub purpose: String,
    pub channel: String,
    pub receipt_number: String,
}

/// A contribution that may be recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contribution {
    pub kind: ContributionKind,
    /// In halalas (1/100 riyal); none for a contribution in kind or service without a value.
    pub amount_halalas: Option<i64>,
    pub received_on: CalendarDay,
    pub purpose: String,
    pub channel: ContributionChannel,
    pub receipt_number: String,
}

/// The largest single contribution recorded: 100 million riyals.
pub const MAX_CONTRIBUTION_HALALAS: i64 = 10_000_000_000;

/// "1,500.5" / "١٥٠٠٫٥٠" → 150050 halalas.
pub fn parse_riyals(input: &str) -> Result<i64, WorkflowProblem> {
    let text: String = crate::digits::normalize_digits(input.trim())
        .replace('٫', ".")
        .chars()
        .filter(|c| !matches!(c, ',' | '٬' | ' '))
        .collect();
    if text.is_empty() {
        return Err(WorkflowProblem::Required);
    }
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    if whole.is_empty() || !whole.chars().all(|c| c.is_ascii_digit()) || fraction.len() > 2 {
        return Err(WorkflowProblem::NumberInvalid);
    }
    if !fraction.chars().all(|c| c.is_ascii_digit()) {
        return Err(WorkflowProblem::NumberInvalid);
    }
    let whole: i64 = whole.parse().map_err(|_| WorkflowProblem::NumberOutOfRange)?;
    let fraction: i64 = format!("{fraction:0<2}").parse().map_err(|_| WorkflowProblem::NumberInvalid)?;
    let halalas =
        whole.checked_mul(100).and_then(|h| h.checked_add(fraction)).ok_or(WorkflowProblem::NumberOutOfRange)?;
    if halalas == 0 || halalas > MAX_CONTRIBUTION_HALALAS {
        return Err(WorkflowProblem::NumberOutOfRange);
    }
    Ok(halalas)
}

/// Checks a contribution received on or before `today`.
pub fn check_contribution(form: &ContributionForm, today: CalendarDay) -> Result<Contribution, Vec<WorkflowError>> {
    let mut checked = Checked::default();
    let kind = checked.field("kind", choice(&form.kind, ContributionKind::from_code));
    let amount = checked.field(
        "amount",
        match (kind, form.amount.trim().is_empty()) {
            (Some(ContributionKind::Money), _) | (_, false) => parse_riyals(&form.amount).map(Some),
            _ => Ok(None),
        },
    );
    let received_on = checked.field(
        "received_on",
        parse_day(&form.received_on).and_then(|day| {
            if day.sort_key() > today.sort_key() { Err(WorkflowProblem::DateInFuture) } else { Ok(day) }
        }),
    );
    let purpose = checked.field("purpose", optional_line(&form.purpose, MAX_SHORT_TEXT_CHARS));
    let channel = checked.field("channel", choice(&form.channel, ContributionChannel::from_code));
    let receipt_number = checked.field("receipt_number", optional_line(&form.receipt_number, 60));
    let contribution = (|| {
        Some(Contribution {
            kind: kind?,
            amount_halalas: amount?,
            received_on: received_on?,
            purpose: purpose?,
            channel: channel?,
            receipt_number: crate::digits::normalize_digits(&receipt_number?),
        })
    })();
    checked.finish(contribution)
}

/// A member as staff typed them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberForm {
    pub membership_number: String,
    pub full_name: String,
    pub national_id: String,
    pub mobile: String,
    pub joined_on: String,
}

/// A member that may be recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub membership_number: String,
    pub full_name: String,
    pub national_id: Option<NationalId>,
    pub mobile: Option<SaudiMobile>,
    pub joined_on: CalendarDay,
}

fn national_id_problem(error: NationalIdError) -> WorkflowProblem {
    match error {
        NationalIdError::Empty | NationalIdError::NotDigits | NationalIdError::WrongLength => {
            WorkflowProblem::NationalIdLength
        }
        NationalIdError::WrongFirstDigit => WorkflowProblem::NationalIdFirstDigit,
        NationalIdError::CheckDigit => WorkflowProblem::NationalIdCheckDigit,
    }
}

/// Checks a new member: a membership number, a name and the day they joined
/// (not after `today`); a national ID and a mobile when given.
pub fn check_member(form: &MemberForm, today: CalendarDay) -> Result<Member, Vec<WorkflowError>> {
    let mut checked = Checked::default();
    let number = checked
        .field("membership_number", required_line(&crate::digits::normalize_digits(&form.membership_number), 40));
    let full_name = checked.field("full_name", required_line(&form.full_name, MAX_SHORT_TEXT_CHARS));
    let national_id = checked.field(
        "national_id",
        if form.national_id.trim().is_empty() {
            Ok(None)
        } else {
            NationalId::parse(&form.national_id).map(Some).map_err(national_id_problem)
        },
    );
    let mobile = checked.field("mobile", optional_mobile(&form.mobile));
    let joined_on = checked.field(
        "joined_on",
        parse_day(&form.joined_on).and_then(|day| {
            if day.sort_key() > today.sort_key() { Err(WorkflowProblem::DateInFuture) } else { Ok(day) }
        }),
    );
    let member = (|| {
        Some(Member {
            membership_number: number?,
            full_name: full_name?,
            national_id: national_id?,
            mobile: mobile?,
            joined_on: joined_on?,
        })
    })();
    checked.finish(member)
}

/// Whether a member may move from `from` to `to`: any change but to the same
/// status; a member who left may rejoin (back to active).
pub fn member_may_move(from: MemberStatus, to: MemberStatus) -> bool {
    from != to
}

#[cfg(test)]
mod tests;
