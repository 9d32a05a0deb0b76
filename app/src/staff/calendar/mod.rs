//! The work calendar admins keep (`/staff/calendar`, issue 14): the public
//! holidays (typed in Hijri or Gregorian, or confirmed from next year's Umm
//! al-Qura proposals), the working hours, each deadline rule's period, reminder
//! and extension, and how the scheduled work is doing. Every form posts to its
//! server function, so each works without JavaScript too (the problem then
//! comes back in the flash cookie).

mod holidays;
mod jobs;
mod labels;
mod rules;

#[cfg(feature = "ssr")]
use crate::application::{access::can, calendar};

use awn_domain::deadlines::{ClockRule, HolidayKind, RuleSettings};
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

use super::sign_in::StaffGate;
use crate::{
    components::messages::ErrorMessage,
    error::AppError,
    forms::{FormProblem, latest_problem, successes},
    i18n::*,
};

pub use labels::{holiday_kind_text, job_text, rule_text, unit_text};

/// Where every form of the page sends the browser back to.
#[cfg(feature = "ssr")]
const PAGE: &str = "/staff/calendar";
/// The forms' names in problems.
const HOLIDAY_FORM: &str = "holiday";
const PROPOSAL_FORM: &str = "proposal";
const REMOVE_FORM: &str = "remove-holiday";
const HOURS_FORM: &str = "hours";

/// The form of one rule's settings.
fn rule_form(rule: ClockRule) -> String {
    format!("rule-{}", rule.code())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolidayRow {
    pub id: i64,
    pub kind: HolidayKind,
    /// The first moment of the first and last days (Saudi time).
    pub first_day: i64,
    pub last_day: i64,
    pub days: u8,
}

/// A holiday expected next year, not entered yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalRow {
    pub kind: HolidayKind,
    /// YYYY-MM-DD (Gregorian): what its "add" button sends.
    pub first_day_text: String,
    pub first_day: i64,
    pub last_day: i64,
    pub days: u8,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleRow {
    pub rule: ClockRule,
    pub settings: RuleSettings,
    /// Counted in one unit only (a breach: hours around the clock).
    pub fixed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobRow {
    pub name: String,
    pub next_run_at: i64,
    pub running: bool,
    pub last_started_at: Option<i64>,
    pub last_finished_at: Option<i64>,
    pub last_error: Option<String>,
    /// Failures in a row.
    pub failures: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarPage {
    pub holidays: Vec<HolidayRow>,
    pub proposals: Vec<ProposalRow>,
    /// The year the proposals are for.
    pub proposal_year: i32,
    /// "HH:MM".
    pub hours_start: String,
    pub hours_end: String,
    pub rules: Vec<RuleRow>,
    pub jobs: Vec<JobRow>,
    pub problem: Option<FormProblem>,
}

#[server(endpoint = "staff/calendar/load")]
pub async fn load_calendar() -> Result<CalendarPage, AppError> {
    let staff = super::authorize::<can::ManageSettings>().await?;
    let context = crate::state::app_context()?;
    let page = calendar::overview(&context.database, &staff).await?;
    Ok(CalendarPage { problem: crate::forms::take_flash(), ..page })
}

#[server(endpoint = "staff/calendar/holiday")]
pub async fn add_holiday(
    kind: Option<String>,
    calendar: Option<String>,
    first_day: Option<String>,
    days: Option<String>,
) -> Result<Option<FormProblem>, AppError> {
    use awn_domain::deadlines::HolidayForm;
    let staff = super::authorize::<can::ManageSettings>().await?;
    let context = crate::state::app_context()?;
    let form = HolidayForm {
        kind: kind.clone().unwrap_or_default(),
        calendar: calendar.clone().unwrap_or_default(),
        first_day: first_day.clone().unwrap_or_default(),
        days: days.clone().unwrap_or_default(),
    };
    let refused = calendar::add_holiday(&context.database, &staff, &form).await?.err().map(|refused| {
        refused.on(HOLIDAY_FORM).with_values(&[
            ("kind", &kind),
            ("calendar", &calendar),
            ("first_day", &first_day),
            ("days", &days),
        ])
    });
    crate::forms::finish(PAGE, refused)
}

#[server(endpoint = "staff/calendar/proposal")]
pub async fn add_proposed_holiday(
    kind: Option<String>,
    first_day: Option<String>,
) -> Result<Option<FormProblem>, AppError> {
    let staff = super::authorize::<can::ManageSettings>().await?;
    let context = crate::state::app_context()?;
    let added = calendar::add_proposed(
        &context.database,
        &staff,
        kind.as_deref().unwrap_or_default(),
        first_day.as_deref().unwrap_or_default(),
    )
    .await?;
    crate::forms::finish(PAGE, added.err().map(|refused| refused.on(PROPOSAL_FORM)))
}

#[server(endpoint = "staff/calendar/remove")]
pub async fn remove_holiday(holiday: Option<i64>) -> Result<Option<FormProblem>, AppError> {
    let staff = super::authorize::<can::ManageSettings>().await?;
    let context = crate::state::app_context()?;
    let removed = calendar::remove_holiday(&context.database, &staff, holiday.unwrap_or_default()).await?;
    crate::forms::finish(PAGE, removed.err().map(|refused| refused.on(REMOVE_FORM)))
}

#[server(endpoint = "staff/calendar/hours")]
pub async fn set_working_hours(start: Option<String>, end: Option<String>) -> Result<Option<FormProblem>, AppError> {
    let staff = super::authorize::<can::ManageSettings>().await?;
    let context = crate::state::app_context()?;
    let set = calendar::set_hours(
        &context.database,
        &staff,
        start.as_deref().unwrap_or_default(),
        end.as_deref().unwrap_or_default(),
    )
    .await?;
    let refused = set.err().map(|refused| refused.on(HOURS_FORM).with_values(&[("start", &start), ("end", &end)]));
    crate::forms::finish(PAGE, refused)
}

#[server(endpoint = "staff/calendar/rule")]
pub async fn set_rule_settings(
    rule: Option<String>,
    unit: Option<String>,
    period: Option<String>,
    remind_before_hours: Option<String>,
    max_extension: Option<String>,
) -> Result<Option<FormProblem>, AppError> {
    let staff = super::authorize::<can::ManageSettings>().await?;
    let context = crate::state::app_context()?;
    let typed = calendar::TypedSettings {
        rule: rule.as_deref().unwrap_or_default(),
        unit: unit.as_deref(),
        period: period.as_deref().unwrap_or_default(),
        remind_before_hours: remind_before_hours.as_deref().unwrap_or_default(),
        max_extension: max_extension.as_deref().unwrap_or_default(),
    };
    let set = calendar::set_rule(&context.database, &staff, typed).await?;
    if set.is_ok() {
        // The home page states the decision period.
        context.home_content.forget();
    }
    let form = ClockRule::from_code(typed.rule.trim()).map(rule_form).unwrap_or_else(|| "rule".to_owned());
    let refused = set.err().map(|refused| {
        refused.on(&form).with_values(&[
            ("unit", &unit),
            ("period", &period),
            ("remind_before_hours", &remind_before_hours),
            ("max_extension", &max_extension),
        ])
    });
    crate::forms::finish(PAGE, refused)
}

/// The page's actions: the page reloads after any of them succeeds.
#[derive(Clone, Copy)]
struct Actions {
    holiday: ServerAction<AddHoliday>,
    proposal: ServerAction<AddProposedHoliday>,
    remove: ServerAction<RemoveHoliday>,
    hours: ServerAction<SetWorkingHours>,
    rule: ServerAction<SetRuleSettings>,
}

#[component]
pub fn StaffCalendarPage() -> impl IntoView {
    // Resources are made before anything waits: made inside the gate's
    // children they were numbered differently on the server and in the browser
    // now and then, and hydration broke.
    let actions = Actions {
        holiday: ServerAction::new(),
        proposal: ServerAction::new(),
        remove: ServerAction::new(),
        hours: ServerAction::new(),
        rule: ServerAction::new(),
    };
    let changed = (
        successes(actions.holiday),
        successes(actions.proposal),
        successes(actions.remove),
        successes(actions.hours),
        successes(actions.rule),
    );
    let page = Resource::new(
        move || (changed.0.get(), changed.1.get(), changed.2.get(), changed.3.get(), changed.4.get()),
        |_| load_calendar(),
    );
    view! { <StaffGate children=move |_session| view! { <CalendarView actions page/> }/> }
}

#[component]
fn CalendarView(actions: Actions, page: Resource<Result<CalendarPage, AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=t_string!(i18n, calendar.title).to_string()/>
        <h1>{t!(i18n, calendar.title)}</h1>
        <p>{t!(i18n, calendar.lead)}</p>
        <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(error) => view! { <ErrorMessage error/> }.into_any(),
                    Ok(page) => {
                        let flashed = page.problem.clone();
                        view! {
                            <holidays::HolidaysSection
                                holidays=page.holidays.clone()
                                remove=actions.remove
                                problem=latest_problem(actions.remove, flashed.clone())/>
                            <holidays::AddHolidayForm add=actions.holiday flashed=flashed.clone()/>
                            <holidays::ProposalsSection
                                proposals=page.proposals.clone()
                                year=page.proposal_year
                                add=actions.proposal
                                problem=latest_problem(actions.proposal, flashed.clone())/>
                            <rules::HoursForm set=actions.hours flashed=flashed.clone()
                                start=page.hours_start.clone() end=page.hours_end.clone()/>
                            <rules::RulesSection rules=page.rules.clone() set=actions.rule flashed=flashed.clone()/>
                            <jobs::JobsSection jobs=page.jobs.clone()/>
                        }
                        .into_any()
                    }
                }
            })}
        </Transition>
    }
}
