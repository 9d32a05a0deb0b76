//! "My work" (`/staff/work`, issue 14): what the signed-in member of staff must
//! act on, the soonest first, in three buckets (overdue, today, this week) with
//! their counts; the team's for those who supervise someone (everyone's for
//! admins); and above it the notices of the workspace (reminders, escalations,
//! the daily digest), each marked read with a plain form.
//!
//! The tab and the bucket are a query string (`?tab=team&bucket=overdue`): links
//! that work without JavaScript and can be shared.

mod items;
mod notices;
pub mod preferences;
pub mod supervisors;

#[cfg(feature = "ssr")]
use crate::application::{access::can, work};

use awn_domain::{
    deadlines::{ClockRule, NoticeKind, WorkBucket},
    paging::PagePosition,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use super::sign_in::StaffGate;
use crate::{components::messages::ErrorMessage, error::AppError, forms::FormProblem, i18n::*};

/// One due item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkRow {
    pub clock_id: i64,
    pub rule: ClockRule,
    pub label: String,
    pub href: String,
    pub due_at: i64,
    /// How long past its deadline, in seconds, if it is.
    pub overdue_seconds: Option<i64>,
    pub responsible: Option<String>,
}

/// One notice of the workspace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeRow {
    pub id: i64,
    pub kind: NoticeKind,
    /// The item a reminder or an escalation is about: rule, label, link, due, whose.
    pub about: Option<WorkRow>,
    /// A digest's counts: overdue, today, this week.
    pub digest: Option<(i64, i64, i64)>,
    pub created_at: i64,
    pub unread: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkPage {
    pub team: bool,
    /// Whether the team tab is offered.
    pub team_allowed: bool,
    pub bucket: Option<WorkBucket>,
    pub rows: Vec<WorkRow>,
    /// Overdue, today, this week.
    pub counts: (i64, i64, i64),
    pub pages: PagePosition,
    pub notices: Vec<NoticeRow>,
    pub notices_total: u64,
    pub unread: i64,
    /// Who supervises whom, for admins (who set it here).
    pub supervisors: Option<supervisors::SupervisorsPage>,
    pub problem: Option<FormProblem>,
}

/// Due items on a page; the pager reaches the rest.
#[cfg(feature = "ssr")]
const PER_PAGE: u32 = 50;
/// The newest notices shown above the work (the page says how many there are).
#[cfg(feature = "ssr")]
const NOTICES_SHOWN: u32 = 10;

#[cfg(feature = "ssr")]
fn row_of(item: awn_storage::clocks::work::WorkItem, now: i64) -> WorkRow {
    let due_at = item.due_at.seconds();
    WorkRow {
        clock_id: item.clock_id,
        rule: item.rule,
        href: item.href(),
        label: item.label,
        due_at,
        overdue_seconds: (due_at < now).then_some(now - due_at),
        responsible: item.responsible_name,
    }
}

#[cfg(feature = "ssr")]
fn notice_of(notice: awn_storage::staff_notices::StaffNotice, now: i64) -> NoticeRow {
    let about = notice.clock.map(|clock| {
        let due_at = clock.due_at.map(|due| due.seconds()).unwrap_or_default();
        WorkRow {
            clock_id: clock.clock_id,
            rule: clock.rule,
            href: clock.subject.staff_path(),
            label: clock.label,
            due_at,
            overdue_seconds: (clock.due_at.is_some() && due_at < now).then_some(now - due_at),
            responsible: clock.responsible_name,
        }
    });
    NoticeRow {
        id: notice.id,
        kind: notice.kind,
        about,
        digest: notice.digest.map(|d| (d.overdue, d.today, d.this_week)),
        created_at: notice.created_at.seconds(),
        unread: notice.read_at.is_none(),
    }
}

#[server(endpoint = "staff/work")]
pub async fn load_work(
    tab: Option<String>,
    bucket: Option<String>,
    page: Option<String>,
) -> Result<WorkPage, AppError> {
    use awn_domain::paging::PageRequest;
    let staff = super::authorize::<can::ViewMyWork>().await?;
    let context = crate::state::app_context()?;
    let database = &context.database;
    let team = tab.as_deref() == Some("team");
    let whose = if team { work::Whose::Team } else { work::Whose::Mine };
    let bucket = bucket.as_deref().and_then(WorkBucket::from_code).filter(|b| *b != WorkBucket::Later);
    let request = PageRequest::from_query(page.as_deref(), PER_PAGE);
    let due = work::due_work(database, &staff, whose, bucket, request).await?;
    let team_allowed = team || work::may_see_team(database, &staff).await?;
    let notices = work::notices(database, &staff, PageRequest::new(1, NOTICES_SHOWN)).await?;
    let problem = crate::forms::take_flash();
    let supervisors = match staff.also::<can::ManageStaff>(database).await? {
        Some(admin) => Some(supervisors::supervisors_page(database, &admin, problem.clone()).await?),
        None => None,
    };
    let now = awn_storage::now_unix_seconds();
    let (items, pages) = due.items.split();
    Ok(WorkPage {
        team,
        team_allowed,
        bucket,
        rows: items.into_iter().map(|item| row_of(item, now)).collect(),
        counts: (due.counts.overdue, due.counts.today, due.counts.this_week),
        pages,
        notices_total: notices.total,
        notices: notices.items.into_iter().map(|notice| notice_of(notice, now)).collect(),
        unread: work::unread_notices(database, &staff).await?,
        supervisors,
        problem,
    })
}

/// Marks one of the signed-in staff member's notices read; another's is not found.
#[server(endpoint = "staff/work/notices/read")]
pub async fn mark_notice_read(notice: i64) -> Result<Option<FormProblem>, AppError> {
    let staff = super::authorize::<can::ViewMyWork>().await?;
    let context = crate::state::app_context()?;
    work::mark_notice_read(&context.database, &staff, notice).await?;
    crate::forms::finish("/staff/work", None)
}

#[server(endpoint = "staff/work/notices/read_all")]
pub async fn mark_all_notices_read() -> Result<Option<FormProblem>, AppError> {
    let staff = super::authorize::<can::ViewMyWork>().await?;
    let context = crate::state::app_context()?;
    work::mark_all_notices_read(&context.database, &staff).await?;
    crate::forms::finish("/staff/work", None)
}

/// The page's data is asked for here, outside the gate's suspense, so that the
/// browser finds it where the server put it when the page hydrates.
#[component]
pub fn StaffWorkPage() -> impl IntoView {
    let query = use_query_map();
    let actions = notices::NoticeActions::default();
    let param = move |name: &str| query.with(|q| q.get(name)).filter(|v| !v.is_empty());
    let set_supervisor = ServerAction::<supervisors::SetSupervisor>::new();
    let supervisors_changed = crate::forms::successes(set_supervisor);
    let page = Resource::new(
        move || (param("tab"), param("bucket"), param("page"), actions.changes() + supervisors_changed.get()),
        |(tab, bucket, page, _)| load_work(tab, bucket, page),
    );
    view! { <StaffGate children=move |_| view! { <WorkView page actions set_supervisor/> }/> }
}

#[component]
fn WorkView(
    page: Resource<Result<WorkPage, AppError>>,
    actions: notices::NoticeActions,
    set_supervisor: ServerAction<supervisors::SetSupervisor>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=t_string!(i18n, work.title).to_string()/>
        <h1>{t!(i18n, work.title)}</h1>
        <p class="lead">{t!(i18n, work.lead)}</p>
        <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(error) => view! { <ErrorMessage error/> }.into_any(),
                    Ok(page) => {
                        let notices = (page.notices.clone(), page.notices_total, page.unread);
                        view! {
                            <notices::Notices notices=notices.0 total=notices.1 unread=notices.2 actions/>
                            <items::WorkTabs team=page.team team_allowed=page.team_allowed/>
                            <items::Buckets team=page.team bucket=page.bucket counts=page.counts/>
                            <items::WorkList rows=page.rows pages=page.pages/>
                            {page.supervisors.map(|supervisors| view! {
                                <supervisors::SupervisorsSection page=supervisors set=set_supervisor/>
                            })}
                        }
                        .into_any()
                    }
                }
            })}
        </Transition>
    }
}
