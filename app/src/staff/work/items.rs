//! The tabs (mine, my team), the buckets with their counts, and the due items.

use awn_domain::{deadlines::WorkBucket, digits::localize_digits, paging::PagePosition};
use leptos::prelude::*;

use super::WorkRow;
use crate::{
    components::{dates::DualDateText, pager::Pager},
    i18n::*,
    preferences::use_digit_style,
    staff::labels::{rule_help, rule_text},
};

/// The link of a tab and bucket (the first page).
fn work_href(team: bool, bucket: Option<WorkBucket>) -> String {
    let mut query = Vec::new();
    if team {
        query.push("tab=team".to_owned());
    }
    if let Some(bucket) = bucket {
        query.push(format!("bucket={}", bucket.code()));
    }
    if query.is_empty() { "/staff/work".to_owned() } else { format!("/staff/work?{}", query.join("&")) }
}

/// Mine and, for those who supervise someone (or admins), my team.
#[component]
pub fn WorkTabs(team: bool, team_allowed: bool) -> impl IntoView {
    let i18n = use_i18n();
    team_allowed.then(|| {
        view! {
            <nav class="tabs" aria-label=move || t_string!(i18n, work.tabs_label)>
                <a class="tabs__tab" href=work_href(false, None) aria-current=(!team).then_some("page")>
                    {t!(i18n, work.tab_mine)}
                </a>
                <a class="tabs__tab" href=work_href(true, None) aria-current=team.then_some("page")>
                    {t!(i18n, work.tab_team)}
                </a>
            </nav>
        }
    })
}

/// The buckets as links, each with its count.
#[component]
pub fn Buckets(team: bool, bucket: Option<WorkBucket>, counts: (i64, i64, i64)) -> impl IntoView {
    let i18n = use_i18n();
    let digits = use_digit_style();
    let (overdue, today, week) = counts;
    let count = move |n: i64| localize_digits(&n.to_string(), digits.try_get().unwrap_or_default());
    let choices = [
        (None, overdue + today + week),
        (Some(WorkBucket::Overdue), overdue),
        (Some(WorkBucket::Today), today),
        (Some(WorkBucket::ThisWeek), week),
    ];
    let name = move |choice: Option<WorkBucket>| match choice {
        None => t_string!(i18n, work.bucket_all).to_string(),
        Some(WorkBucket::Overdue) => t_string!(i18n, work.bucket_overdue).to_string(),
        Some(WorkBucket::Today) => t_string!(i18n, work.bucket_today).to_string(),
        Some(_) => t_string!(i18n, work.bucket_this_week).to_string(),
    };
    view! {
        <nav class="buckets filters" aria-label=move || t_string!(i18n, work.buckets_label)>
            {choices.into_iter().map(|(choice, n)| view! {
                <a class=format!("bucket bucket--{}", choice.map_or("all", |b| b.code()))
                    class:bucket--late=(choice == Some(WorkBucket::Overdue) && n > 0)
                    href=work_href(team, choice) aria-current=(choice == bucket).then_some("page")>
                    {move || name(choice)} " (" <bdi>{move || count(n)}</bdi> ")"
                </a>
            }).collect_view()}
        </nav>
    }
}

/// How far past its deadline an item is, in days and hours.
#[component]
pub fn OverdueBy(seconds: i64) -> impl IntoView {
    let i18n = use_i18n();
    let digits = use_digit_style();
    let (days, hours) = (seconds / 86_400, (seconds % 86_400) / 3_600);
    view! {
        <strong class="overdue-flag">
            {move || localize_digits(
                &t_string!(i18n, work.overdue_by, days = days, hours = hours).to_string(),
                digits.try_get().unwrap_or_default(),
            )}
        </strong>
    }
}

/// One due item: its rule, its link, when it is due and whose it is.
#[component]
pub fn WorkItemLine(row: WorkRow) -> impl IntoView {
    let i18n = use_i18n();
    let rule = row.rule;
    view! {
        <a class="queue__link" href=row.href.clone()>
            <span title=move || rule_help(i18n.get_locale(), rule)>{move || rule_text(i18n.get_locale(), rule)}</span>
            " · " <bdi class="reference" dir="ltr">{row.label.clone()}</bdi>
        </a>
        <span class="queue__due">
            {t!(i18n, work.due)} " " <DualDateText unix_seconds=row.due_at/>
            {row.overdue_seconds.map(|seconds| view! { " " <OverdueBy seconds/> })}
        </span>
        <span class="queue__meta">
            {t!(i18n, work.responsible)} " "
            {match row.responsible.clone() {
                Some(name) => name.into_any(),
                None => view! { <em>{t!(i18n, work.unassigned)}</em> }.into_any(),
            }}
        </span>
    }
}

#[component]
pub fn WorkList(rows: Vec<WorkRow>, pages: PagePosition) -> impl IntoView {
    let i18n = use_i18n();
    if rows.is_empty() {
        return view! { <p class="notice">{t!(i18n, work.empty)}</p> }.into_any();
    }
    view! {
        <ul class="queue work">
            {rows.into_iter().map(|row| {
                let (late, id) = (row.overdue_seconds.is_some(), format!("clock-{}", row.clock_id));
                view! {
                    <li class="queue__item" class:queue__item--overdue=late id=id>
                        <WorkItemLine row/>
                    </li>
                }
            }).collect_view()}
        </ul>
        <Pager position=pages/>
    }
    .into_any()
}
