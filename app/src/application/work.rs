//! "My work" (issue 14): what a member of staff must act on, soonest first, with
//! the counts of what is overdue, due today and due this week; their team's
//! (for those who supervise someone) or everyone's (admins); the notices of the
//! workspace; how each one is reminded; and, for admins, who supervises whom.

use awn_domain::{
    deadlines::{ClockRule, ReminderChannel, WorkBucket},
    identity::{SaudiMobile, parse_optional_email},
    paging::{Page, PageRequest},
};
use awn_storage::{
    Database,
    clocks::work::{self, WorkCounts, WorkItem, WorkScope},
    now,
    staff::{self, ReminderPreferences, SupervisorProblem},
    staff_notices::{self, StaffNotice},
};

use super::{
    Outcome, Refused,
    access::{Authorized, can},
};
use crate::{error::AppError, forms::Problem};

/// Whose work a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Whose {
    Mine,
    /// The people the member of staff supervises; everyone's for admins.
    Team,
}

/// A page of due work with the count of each bucket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueWork {
    pub items: Page<WorkItem>,
    pub counts: WorkCounts,
}

/// Whether `who` may see the team view: they supervise someone, or they
/// manage staff (admins see everyone's).
pub async fn may_see_team(database: &Database, who: &Authorized<can::ViewMyWork>) -> Result<bool, AppError> {
    if who.also::<can::ManageStaff>(database).await?.is_some() {
        return Ok(true);
    }
    Ok(staff::supervises_anyone(database, who.id).await?)
}

/// A page of `whose` due work in `bucket` (everything due this week or
/// overdue when `None`). The team view of someone who supervises nobody and
/// is not an admin is [`AppError::Forbidden`].
pub async fn due_work(
    database: &Database,
    who: &Authorized<can::ViewMyWork>,
    whose: Whose,
    bucket: Option<WorkBucket>,
    request: PageRequest,
) -> Result<DueWork, AppError> {
    let rules = ClockRule::handled_by(who.role);
    let scope = match whose {
        Whose::Mine => WorkScope::Mine { staff_id: who.id, rules: &rules },
        Whose::Team if who.also::<can::ManageStaff>(database).await?.is_some() => WorkScope::All,
        Whose::Team if staff::supervises_anyone(database, who.id).await? => WorkScope::Team { supervisor_id: who.id },
        Whose::Team => return Err(AppError::Forbidden),
    };
    let at = now();
    let items = work::due_work(database, scope, at, bucket, request).await?;
    let counts = work::work_counts(database, scope, at).await?;
    Ok(DueWork { items, counts })
}

/// A page of `who`'s notices, the newest first.
pub async fn notices(
    database: &Database,
    who: &Authorized<can::ViewMyWork>,
    request: PageRequest,
) -> Result<Page<StaffNotice>, AppError> {
    Ok(staff_notices::list(database, who.id, request).await?)
}

/// How many of `who`'s notices are unread.
pub async fn unread_notices(database: &Database, who: &Authorized<can::ViewMyWork>) -> Result<i64, AppError> {
    Ok(staff_notices::unread_count(database, who.id).await?)
}

/// Marks one of `who`'s notices read; another's (or an unknown one) is
/// [`AppError::NotFound`].
pub async fn mark_notice_read(
    database: &Database,
    who: &Authorized<can::ViewMyWork>,
    notice: i64,
) -> Result<(), AppError> {
    Ok(staff_notices::mark_read(database, who.id, notice, now()).await?)
}

/// Marks all of `who`'s notices read.
pub async fn mark_all_notices_read(database: &Database, who: &Authorized<can::ViewMyWork>) -> Result<(), AppError> {
    staff_notices::mark_all_read(database, who.id, now()).await?;
    Ok(())
}

/// `who`'s own reminder preferences.
pub async fn reminder_preferences(
    database: &Database,
    who: &Authorized<can::ViewMyWork>,
) -> Result<ReminderPreferences, AppError> {
    Ok(staff::reminder_preferences(database, who.id).await?)
}

/// What the preferences form sent, as typed.
#[derive(Debug, Clone, Copy, Default)]
pub struct TypedPreferences<'a> {
    pub channel: &'a str,
    pub mobile: &'a str,
    pub email: &'a str,
}

/// Checks typed preferences: a known channel, a Saudi mobile number and an
/// email address each valid when given, and the contact the channel needs.
pub fn checked_preferences(typed: TypedPreferences<'_>) -> Result<ReminderPreferences, Refused> {
    let channel = ReminderChannel::from_code(typed.channel.trim())
        .ok_or_else(|| Refused::new("reminder_channel", Problem::Invalid))?;
    let mobile = match typed.mobile.trim() {
        "" => None,
        text => Some(SaudiMobile::parse(text).map_err(|_| Refused::new("contact_mobile", Problem::Invalid))?),
    };
    let email = parse_optional_email(typed.email).map_err(|error| {
        let problem = match error {
            awn_domain::identity::EmailError::TooLong => Problem::TooLong,
            awn_domain::identity::EmailError::Invalid => Problem::Invalid,
        };
        Refused::new("contact_email", problem)
    })?;
    match channel {
        ReminderChannel::Sms if mobile.is_none() => return Err(Refused::new("contact_mobile", Problem::Required)),
        ReminderChannel::Email if email.is_none() => return Err(Refused::new("contact_email", Problem::Required)),
        _ => {}
    }
    Ok(ReminderPreferences { channel, mobile, email })
}

/// Sets `who`'s own reminder preferences, as typed; nothing is kept on a refusal.
pub async fn set_reminder_preferences(
    database: &Database,
    who: &Authorized<can::ViewMyWork>,
    typed: TypedPreferences<'_>,
) -> Result<Outcome, AppError> {
    let preferences = match checked_preferences(typed) {
        Ok(preferences) => preferences,
        Err(refused) => return Ok(Err(refused)),
    };
    staff::set_reminder_preferences(database, who.id, &preferences).await?;
    tracing::info!(staff = who.id, channel = preferences.channel.code(), "reminder preferences changed");
    Ok(Ok(()))
}

/// Makes `supervisor` (or nobody) the supervisor of `account`. Nobody
/// supervises themselves or the one who supervises them. An unknown account
/// is [`AppError::NotFound`].
pub async fn set_supervisor(
    database: &Database,
    who: &Authorized<can::ManageStaff>,
    account: i64,
    supervisor: Option<i64>,
) -> Result<Outcome, AppError> {
    match staff::set_supervisor(database, account, supervisor).await? {
        Ok(()) => {
            tracing::info!(admin = who.id, account, supervisor, "supervisor set");
            Ok(Ok(()))
        }
        Err(SupervisorProblem::Themselves | SupervisorProblem::EachOther | SupervisorProblem::NotActive) => {
            Ok(Err(Refused::new("supervisor", Problem::Invalid)))
        }
    }
}

/// Every account with its supervisor, if any (admins), active ones first.
pub async fn accounts_with_supervisors(
    database: &Database,
    _who: &Authorized<can::ManageStaff>,
) -> Result<Vec<(staff::StaffAccount, Option<i64>)>, AppError> {
    let supervisors: std::collections::HashMap<i64, i64> = staff::supervisors(database).await?.into_iter().collect();
    let accounts = staff::list(database).await?;
    Ok(accounts
        .into_iter()
        .map(|account| {
            let supervisor = supervisors.get(&account.id).copied();
            (account, supervisor)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed<'a>(channel: &'a str, mobile: &'a str, email: &'a str) -> TypedPreferences<'a> {
        TypedPreferences { channel, mobile, email }
    }

    #[test]
    fn preferences_are_checked_field_by_field() {
        let sms = checked_preferences(typed("sms", "٠٥٥١٢٣٤٥٦٧", "")).expect("valid");
        assert_eq!(sms.mobile.map(|m| m.as_e164().to_owned()).as_deref(), Some("+966551234567"));
        let refused = |t| checked_preferences(t).unwrap_err();
        assert_eq!(refused(typed("fax", "", "")), Refused::new("reminder_channel", Problem::Invalid));
        assert_eq!(refused(typed("sms", "12345", "")), Refused::new("contact_mobile", Problem::Invalid));
        assert_eq!(refused(typed("sms", "", "")), Refused::new("contact_mobile", Problem::Required));
        assert_eq!(refused(typed("email", "", "not-an-address")), Refused::new("contact_email", Problem::Invalid));
        assert_eq!(refused(typed("email", "", " ")), Refused::new("contact_email", Problem::Required));
        assert_eq!(checked_preferences(typed("workspace", "", "")).unwrap(), ReminderPreferences::default());
    }

    #[test]
    fn a_relations_officer_shares_complaints_and_inquiries_not_data_requests() {
        let rules = ClockRule::handled_by(awn_domain::staff::StaffRole::RelationsOfficer);
        assert!(rules.contains(&ClockRule::ComplaintResolution) && rules.contains(&ClockRule::InquiryAnswer));
        assert!(!rules.contains(&ClockRule::DataRequest));
    }
}
