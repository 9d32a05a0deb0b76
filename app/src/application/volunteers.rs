//! Volunteering (A18's volunteering channel): anyone applies at `/volunteer`,
//! the mobile confirmed with a one-time code (the sign-in code's machinery, its
//! limits per number and the hourly SMS budget); staff with
//! `ManageVolunteers` review the applications (an audited read), accept or
//! decline them (the volunteer is told by SMS), give an accepted volunteer a
//! volunteer staff account and record the hours they give.

use awn_domain::{
    identity::SaudiMobile,
    locale::Language,
    paging::{PagePosition, PageRequest},
    sign_in::{ResendRefusal, parse_code},
    staff::StaffRole,
    volunteers::{Availability, MAX_SKILLS_CHARS, VolunteerStatus, day_text, parse_half_hours},
    workflow::{MAX_NOTE_CHARS, MAX_SHORT_TEXT_CHARS, parse_day},
};
use awn_storage::{
    Database,
    accounts::{self, CodeIssue},
    consent::ConsentHolder,
    now_unix_seconds,
    staff::{NewStaff, StaffProblem},
    volunteers::{self, Confirmation, NewApplication, VolunteerProblem},
};

use super::{
    Outcome, Refused,
    access::{Authorized, can},
    personal_data,
};
use crate::{
    error::AppError,
    forms::{Problem, checked_text},
    sign_in::CodeProblem,
    staff::{
        party_consents::PartyConsentLine,
        volunteers::{HoursView, VolunteerView},
    },
    state::AppContext,
};

/// The application form as typed.
#[derive(Debug, Clone, Copy)]
pub struct TypedApplication<'a> {
    pub full_name: &'a Option<String>,
    pub mobile: &'a Option<String>,
    pub skills: &'a Option<String>,
    pub areas: &'a Option<String>,
    pub availability: &'a Option<String>,
    pub sms_consent: bool,
    pub news_consent: bool,
}

/// Checks the form, refuses a mobile with a pending application, sends the
/// code (within the number's limits and the SMS budget) and writes the
/// application unverified. Answers the challenge's token (for the cookie).
pub async fn apply(
    context: &AppContext,
    typed: TypedApplication<'_>,
    language: Language,
) -> Result<Result<String, Refused>, AppError> {
    let full_name = match checked_text("", "full_name", typed.full_name.as_deref(), MAX_SHORT_TEXT_CHARS, true) {
        Ok(name) => awn_domain::identity::clean_text(&name),
        Err(problem) => return Ok(Err(problem.into())),
    };
    let mobile = match SaudiMobile::parse(typed.mobile.as_deref().unwrap_or_default()) {
        Ok(mobile) => mobile,
        Err(awn_domain::identity::PhoneError::Empty) => return Ok(Err(Refused::new("mobile", Problem::Required))),
        Err(_) => return Ok(Err(Refused::new("mobile", Problem::Invalid))),
    };
    let skills = match checked_text("", "skills", typed.skills.as_deref(), MAX_SKILLS_CHARS, true) {
        Ok(text) => text,
        Err(problem) => return Ok(Err(problem.into())),
    };
    let areas = match checked_text("", "areas", typed.areas.as_deref(), MAX_SKILLS_CHARS, true) {
        Ok(text) => text,
        Err(problem) => return Ok(Err(problem.into())),
    };
    let Some(availability) = typed.availability.as_deref().and_then(Availability::from_code) else {
        return Ok(Err(Refused::new("availability", Problem::Required)));
    };
    let database = &context.database;
    if volunteers::has_pending(database, &mobile).await? {
        return Ok(Err(Refused::new("mobile", Problem::Duplicate)));
    }
    let budget = context.settings.sms_budget_per_hour;
    let issued = accounts::issue_sign_in_code(database, &mobile, now_unix_seconds(), budget, |code| {
        crate::notices::volunteer_code(&mobile, code, language)
    })
    .await?;
    let challenge = match issued {
        CodeIssue::Issued(challenge) => challenge.challenge_token,
        CodeIssue::Refused(ResendRefusal::TooSoon { .. } | ResendRefusal::HourlyLimit { .. }) => {
            return Ok(Err(Refused::new("mobile", Problem::TooManyRequests)));
        }
        CodeIssue::Refused(ResendRefusal::DailyLimit { .. }) => {
            return Ok(Err(Refused::new("mobile", Problem::DailyLimit)));
        }
        CodeIssue::BudgetExhausted => return Ok(Err(Refused::new("", Problem::TooManyRequests))),
    };
    let new = NewApplication {
        full_name: &full_name,
        mobile: &mobile,
        skills: &skills,
        areas: &areas,
        availability,
        sms_consent: typed.sms_consent,
        news_consent: typed.news_consent,
        language,
    };
    volunteers::apply(database, &new, &challenge, now_unix_seconds()).await?;
    Ok(Ok(challenge))
}

/// The mobile, masked, of the unverified application of a challenge.
pub async fn pending_code_mobile(database: &Database, challenge_token: &str) -> Result<Option<String>, AppError> {
    Ok(volunteers::unverified_of(database, challenge_token).await?.map(|(_, mobile)| mobile.masked()))
}

/// Checks the code; when right, the application is stored for staff.
pub async fn confirm(
    database: &Database,
    challenge_token: &str,
    raw_code: &str,
) -> Result<Option<CodeProblem>, AppError> {
    let Some(code) = parse_code(raw_code) else { return Ok(Some(CodeProblem::Malformed)) };
    Ok(match volunteers::confirm(database, challenge_token, &code, now_unix_seconds()).await? {
        Confirmation::Confirmed(_) => None,
        Confirmation::Refused(check) => Some(CodeProblem::Refused(check)),
        Confirmation::UnknownChallenge | Confirmation::AlreadyPending => Some(CodeProblem::NoChallenge),
    })
}

fn hours_of(rows: Vec<awn_storage::volunteers::HoursRow>) -> Vec<HoursView> {
    rows.into_iter()
        .map(|h| HoursView {
            day: h.day,
            hours: awn_domain::volunteers::hours_text(h.half_hours),
            activity: h.activity,
            recorded_by: h.recorded_by_name,
        })
        .collect()
}

/// A page of the verified applications, pending first (an audited read), each
/// accepted volunteer with their hours.
pub async fn list(
    database: &Database,
    who: &Authorized<can::ManageVolunteers>,
    request: PageRequest,
) -> Result<(Vec<VolunteerView>, PagePosition, i64), AppError> {
    let page = personal_data::volunteers(database, who, personal_data::PURPOSE_CASEWORK, request).await?;
    let pending = volunteers::pending_count(database).await?;
    let (rows, position) = page.split();
    let mut views = Vec::with_capacity(rows.len());
    for row in rows {
        let hours = match row.status {
            VolunteerStatus::Accepted => hours_of(volunteers::hours(database, row.id).await?),
            _ => Vec::new(),
        };
        views.push(VolunteerView {
            id: row.id,
            full_name: row.full_name,
            mobile: row.mobile,
            skills: row.skills,
            areas: row.areas,
            availability: row.availability,
            sms_consent: row.sms_consent,
            news_consent: row.news_consent,
            consents: awn_storage::consent::register(database, ConsentHolder::Volunteer(row.id))
                .await?
                .iter()
                .map(PartyConsentLine::from)
                .collect(),
            status: row.status,
            decision_message: row.decision_message,
            decided_by: row.decided_by_name,
            staff_username: row.staff_username,
            created_at: row.created_at,
            total_hours: awn_domain::volunteers::hours_text(row.total_half_hours),
            hours,
        });
    }
    Ok((views, position, pending))
}

/// A refused step as the form shows it; an unknown application is `NotFound`.
fn refusal(problem: VolunteerProblem) -> Result<Refused, AppError> {
    match problem {
        VolunteerProblem::NotFound => Err(AppError::NotFound),
        VolunteerProblem::AlreadyDone => Ok(Refused::new("", Problem::AlreadyDone)),
        VolunteerProblem::NotAccepted => Ok(Refused::new("", Problem::Invalid)),
    }
}

/// Accepts or declines a pending application with a message the volunteer receives by SMS.
pub async fn decide(
    database: &Database,
    who: &Authorized<can::ManageVolunteers>,
    id: i64,
    decision: Option<&str>,
    message: Option<&str>,
) -> Result<Outcome, AppError> {
    let status = match decision {
        Some("accept") => VolunteerStatus::Accepted,
        Some("decline") => VolunteerStatus::Declined,
        _ => return Ok(Err(Refused::new("decision", Problem::Required))),
    };
    let message = match checked_text("", "message", message, MAX_NOTE_CHARS, false) {
        Ok(message) => message,
        Err(problem) => return Ok(Err(problem.into())),
    };
    let decided = volunteers::decide(
        database,
        id,
        who.id,
        status,
        &message,
        now_unix_seconds(),
        crate::notices::volunteer_decided,
    )
    .await?;
    match decided {
        Ok(()) => Ok(Ok(())),
        Err(problem) => Ok(Err(refusal(problem)?)),
    }
}

/// A volunteer account given: its username and the password, shown once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GivenAccount {
    pub username: String,
    pub password: String,
}

/// Creates a volunteer staff account for an accepted volunteer, with a
/// username proposed from their mobile and a generated strong password, and
/// links it to the application.
pub async fn give_account(
    database: &Database,
    who: &Authorized<can::ManageVolunteers>,
    id: i64,
) -> Result<Result<GivenAccount, Refused>, AppError> {
    let row = match volunteers::may_get_account(database, id).await? {
        Ok(row) => row,
        Err(problem) => return Ok(Err(refusal(problem)?)),
    };
    let digits: String = row.mobile.chars().filter(char::is_ascii_digit).collect();
    let local = digits.strip_prefix("966").map(|rest| format!("0{rest}")).unwrap_or(digits);
    // Strong and typeable: 120 random bits.
    let token = awn_storage::secrets::new_token();
    let password: String = token.chars().take(20).collect();
    let now = now_unix_seconds();
    for attempt in 0..5 {
        let username =
            if attempt == 0 { format!("volunteer-{local}") } else { format!("volunteer-{local}-{}", attempt + 1) };
        let new = NewStaff {
            username: &username,
            display_name: &row.full_name,
            role: StaffRole::Volunteer,
            password: &password,
        };
        match awn_storage::staff::create(database, new, now).await? {
            Ok(created) => {
                if !volunteers::link_account(database, id, created.id, who.id, now).await? {
                    return Ok(Err(Refused::new("", Problem::AlreadyDone)));
                }
                return Ok(Ok(GivenAccount { username, password }));
            }
            Err(StaffProblem::UsernameTaken) => continue,
            Err(_) => return Ok(Err(Refused::new("", Problem::Invalid))),
        }
    }
    Ok(Err(Refused::new("", Problem::Duplicate)))
}

/// Records the hours an accepted volunteer gave on a day, and the activity.
pub async fn record_hours(
    database: &Database,
    who: &Authorized<can::ManageVolunteers>,
    id: i64,
    day: Option<&str>,
    hours: Option<&str>,
    activity: Option<&str>,
) -> Result<Outcome, AppError> {
    let day = match parse_day(day.unwrap_or_default()) {
        Ok(day) => day_text(day),
        Err(awn_domain::workflow::WorkflowProblem::Required) => {
            return Ok(Err(Refused::new("day", Problem::Required)));
        }
        Err(_) => return Ok(Err(Refused::new("day", Problem::DateInvalid))),
    };
    let half_hours = match parse_half_hours(hours.unwrap_or_default()) {
        Ok(half_hours) => half_hours,
        Err(awn_domain::volunteers::HoursProblem::Required) => {
            return Ok(Err(Refused::new("hours", Problem::Required)));
        }
        Err(awn_domain::volunteers::HoursProblem::Invalid) => return Ok(Err(Refused::new("hours", Problem::Invalid))),
        Err(awn_domain::volunteers::HoursProblem::OutOfRange) => {
            return Ok(Err(Refused::new("hours", Problem::OutOfRange)));
        }
    };
    let activity = match checked_text("", "activity", activity, MAX_SHORT_TEXT_CHARS, true) {
        Ok(activity) => activity,
        Err(problem) => return Ok(Err(problem.into())),
    };
    match volunteers::record_hours(database, id, &day, half_hours, &activity, who.id, now_unix_seconds()).await? {
        Ok(()) => Ok(Ok(())),
        Err(problem) => Ok(Err(refusal(problem)?)),
    }
}
