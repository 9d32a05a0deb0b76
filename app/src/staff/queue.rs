//! The queue (`/staff`): every request from every channel in one list, with
//! filters (state, kind, channel, overdue) and an Arabic-aware search by name,
//! national ID or reference. Filters are a GET form: they work without
//! JavaScript and are a plain link to share.

// `#[server]` writes the browser-side stub of a many-field form without the
// function's own `allow`.
#![cfg_attr(feature = "hydrate", allow(clippy::too_many_arguments, reason = "the stub takes the form's fields"))]

#[cfg(feature = "ssr")]
use crate::application::{access::can, personal_data};

use awn_domain::{channels::Channel, locale::Language, paging::PagePosition, requests::RequestStatus};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use super::{labels::channel_text, sign_in::StaffGate};
use crate::{
    components::{dates::DualDateText, messages::ErrorMessage, pager::Pager},
    error::AppError,
    i18n::*,
    preferences::language_of,
    requests::labels::status_text,
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueRow {
    pub id: awn_domain::ids::RequestId,
    pub reference: String,
    pub full_name: String,
    pub national_id: String,
    pub kind_name: String,
    pub channel: Channel,
    pub status: RequestStatus,
    pub submitted_at: i64,
    pub decision_due_at: i64,
    pub assignee_name: Option<String>,
    pub overdue: bool,
    /// Another account's open request for the same national ID.
    pub possible_duplicate_of: Option<awn_domain::ids::RequestId>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindChoice {
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueuePage {
    pub rows: Vec<QueueRow>,
    pub kinds: Vec<KindChoice>,
    pub overdue_total: i64,
    /// Where this page sits in the filtered queue.
    pub pages: PagePosition,
}

/// Rows on a page of the queue; the pager reaches the rest.
#[cfg(feature = "ssr")]
const QUEUE_PER_PAGE: u32 = 50;

// One argument per filter of the queue's form (a plain GET form without JavaScript).
#[server(endpoint = "staff/queue")]
#[allow(clippy::too_many_arguments, reason = "a server function takes the form's fields as its arguments")]
pub async fn load_queue(
    status: Option<String>,
    kind: Option<String>,
    channel: Option<String>,
    overdue: Option<String>,
    search: Option<String>,
    mine: Option<String>,
    language: Language,
    page: Option<String>,
) -> Result<Option<QueuePage>, AppError> {
    use awn_storage::casework;
    // `/staff` is every role's landing page, and it asks for the queue before it
    // knows the role (after signing in, in the browser): a role without the queue
    // gets nothing, not a refusal the browser reports as an error.
    let staff = match super::authorize::<can::ViewQueue>().await {
        Ok(staff) => staff,
        Err(AppError::Forbidden) => return Ok(None),
        Err(error) => return Err(error),
    };
    let context = crate::state::app_context()?;
    let filter = casework::QueueFilter {
        status: status.as_deref().and_then(RequestStatus::from_code),
        support_kind: kind.filter(|k| !k.is_empty()),
        channel: channel.as_deref().and_then(Channel::from_code),
        // "Mine": the requests given to the signed-in staff member.
        assignee_id: mine.is_some_and(|m| !m.is_empty()).then_some(staff.staff_id()),
        overdue_only: overdue.is_some_and(|o| !o.is_empty()),
        search: search.unwrap_or_default(),
    };
    let request = awn_domain::paging::PageRequest::from_query(page.as_deref(), QUEUE_PER_PAGE);
    let (items, pages) =
        personal_data::queue(&context.database, &staff, &filter, personal_data::PURPOSE_CASEWORK, request)
            .await?
            .split();
    let rows = items
        .into_iter()
        .map(|item| QueueRow {
            kind_name: item.support_kind_name(language).to_owned(),
            id: item.id,
            reference: item.reference,
            full_name: item.full_name,
            national_id: item.national_id,
            channel: item.channel,
            status: item.status,
            submitted_at: item.submitted_at,
            decision_due_at: item.decision_due_at,
            assignee_name: item.assignee_name,
            overdue: item.overdue,
            possible_duplicate_of: item.possible_duplicate_of,
        })
        .collect();
    let (kinds, overdue_total) =
        crate::application::casework::queue_context(&context.database, &staff, language).await?;
    Ok(Some(QueuePage { rows, kinds, overdue_total, pages }))
}

/// The page's data is asked for here, outside the gate's suspense, so that the
/// browser finds it where the server put it when the page hydrates.
#[component]
pub fn StaffQueuePage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let param = move |name: &str| query.with(|q| q.get(name)).filter(|v| !v.is_empty());
    let page = Resource::new(
        move || {
            (
                param("status"),
                param("kind"),
                param("channel"),
                param("overdue"),
                param("q"),
                param("mine"),
                language_of(i18n.get_locale()),
                param("page"),
            )
        },
        |(status, kind, channel, overdue, search, mine, language, page)| {
            load_queue(status, kind, channel, overdue, search, mine, language, page)
        },
    );
    let alerts = Resource::new(|| (), |_| super::alerts::load_system_alerts());
    view! {
        <StaffGate children=move |session| {
            let alerts = session
                .may(awn_domain::staff::Permission::ManageSettings)
                .then(|| view! { <super::alerts::SystemAlerts alerts/> });
            if session.may(awn_domain::staff::Permission::ViewQueue) {
                view! { <QueueView page/> {alerts} }.into_any()
            } else {
                view! { <WorkspaceHome session/> {alerts} }.into_any()
            }
        }/>
    }
}

/// The landing page of roles that do not work the queue (volunteers,
/// consultants, admins, the privacy officer): what their role lets them do.
#[component]
fn WorkspaceHome(session: super::StaffSession) -> impl IntoView {
    use awn_domain::staff::Permission;
    let i18n = use_i18n();
    let links = super::workspace_links(&session)
        .into_iter()
        .filter(|(permission, _)| *permission != Permission::ViewQueue)
        .collect::<Vec<_>>();
    view! {
        <Title text=t_string!(i18n, staff.home_title).to_string()/>
        <h1>{t!(i18n, staff.home_title)}</h1>
        <ul class="workspace-home">
            {links.into_iter().map(|(permission, href)| view! {
                <li class="card"><a href=href>{super::labels::section_text(i18n.get_locale(), permission)}</a></li>
            }).collect_view()}
        </ul>
    }
}

#[component]
fn QueueView(page: Resource<Result<Option<QueuePage>, AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let param = move |name: &str| query.with(|q| q.get(name)).filter(|v| !v.is_empty());
    let selected = move |name: &'static str, value: String| param(name).as_deref() == Some(value.as_str());
    view! {
        <Title text=t_string!(i18n, staff.queue_title).to_string()/>
        <h1>{t!(i18n, staff.queue_title)}</h1>
        <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(error) => view! { <ErrorMessage error/> }.into_any(),
                    // Not reached: the gate shows the queue only to roles that work it.
                    Ok(None) => ().into_any(),
                    Ok(Some(page)) => {
                        let locale = i18n.get_locale();
                        let overdue_total = page.overdue_total;
                        let kinds = page.kinds.clone();
                        let pages = page.pages;
                        let filtering = ["status", "kind", "channel", "overdue", "mine"].into_iter().any(|name| param(name).is_some());
                        view! {
                            <p class={if overdue_total > 0 { "staff-overdue staff-overdue--some" } else { "staff-overdue" }}>
                                {t!(i18n, staff.overdue_total, count = move || overdue_total)}
                            </p>
                            <form method="get" action="/staff" class="form filters" role="search">
                                <div class="field">
                                    <label class="field__label" for="filter-q">{t!(i18n, staff.search_label)}</label>
                                    <input class="field__input" id="filter-q" name="q" type="search"
                                        value=param("q").unwrap_or_default()/>
                                </div>
                                // Open when a filter is in use, so what narrows the list is in view.
                                <details class="filters__more" open=filtering>
                                    <summary>{t!(i18n, staff.filters_more)}</summary>
                                    <div class="filters__grid">
                                <div class="field">
                                    <label class="field__label" for="filter-status">{t!(i18n, staff.filter_status)}</label>
                                    <select class="field__input" id="filter-status" name="status">
                                        <option value="">{t!(i18n, staff.filter_any)}</option>
                                        {RequestStatus::ALL.into_iter().map(|status| view! {
                                            <option value=status.code() selected=selected("status", status.code().to_owned())>
                                                {status_text(locale, status)}
                                            </option>
                                        }).collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label class="field__label" for="filter-kind">{t!(i18n, staff.filter_kind)}</label>
                                    <select class="field__input" id="filter-kind" name="kind">
                                        <option value="">{t!(i18n, staff.filter_any)}</option>
                                        {kinds.into_iter().map(|kind| view! {
                                            <option value=kind.code.clone() selected=selected("kind", kind.code.clone())>
                                                {kind.name}
                                            </option>
                                        }).collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label class="field__label" for="filter-channel">{t!(i18n, staff.filter_channel)}</label>
                                    <select class="field__input" id="filter-channel" name="channel">
                                        <option value="">{t!(i18n, staff.filter_any)}</option>
                                        {Channel::ALL.into_iter().map(|channel| view! {
                                            <option value=channel.code() selected=selected("channel", channel.code().to_owned())>
                                                {channel_text(i18n.get_locale(), channel)}
                                            </option>
                                        }).collect_view()}
                                    </select>
                                </div>
                                <label class="choice">
                                    <input type="checkbox" name="overdue" value="1" checked=param("overdue").is_some()/>
                                    {t!(i18n, staff.filter_overdue)}
                                </label>
                                <label class="choice">
                                    <input type="checkbox" name="mine" value="1" checked=param("mine").is_some()/>
                                    {t!(i18n, staff.filter_mine)}
                                </label>
                                    </div>
                                </details>
                                <button class="button" type="submit">{t!(i18n, staff.filter_apply)}</button>
                            </form>
                            {if page.rows.is_empty() {
                                view! { <p class="notice">{t!(i18n, staff.queue_empty)}</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="queue">
                                        {page.rows.into_iter().map(|row| view! {
                                            <li class="queue__item" class:queue__item--overdue=row.overdue>
                                                <a class="queue__link" href=format!("/staff/requests/{}", row.id)>
                                                    <span class="queue__name">{row.full_name.clone()}</span>
                                                    <span class="reference queue__reference" dir="ltr">{row.reference.clone()}</span>
                                                </a>
                                                <span class=format!("status-badge status-badge--{}", row.status.code())>
                                                    {status_text(locale, row.status)}
                                                </span>
                                                {row.possible_duplicate_of.map(|other| view! {
                                                    " " <a class="duplicate-flag" href=format!("/staff/requests/{other}")
                                                        aria-label=move || t_string!(i18n, duplicates.badge_label)>
                                                        {t!(i18n, duplicates.badge)}
                                                    </a>
                                                })}
                                                <span class="queue__meta">
                                                    {row.kind_name.clone()} " · " {channel_text(i18n.get_locale(), row.channel)}
                                                    " · " <bdi dir="ltr">{row.national_id.clone()}</bdi>
                                                </span>
                                                <span class="queue__due">
                                                    {t!(i18n, staff.due)} " " <DualDateText unix_seconds=row.decision_due_at/>
                                                    {row.overdue.then(|| view! { " " <strong class="overdue-flag">{t!(i18n, staff.overdue)}</strong> })}
                                                    {row.assignee_name.clone().map(|name| view! { " · " {t!(i18n, staff.assignee)} ": " {name} })}
                                                </span>
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                            <Pager position=pages/>
                        }
                        .into_any()
                    }
                }
            })}
        </Transition>
    }
}
