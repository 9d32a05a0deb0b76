//! The notices above the work: reminders, escalations and the daily digest, the
//! unread ones marked, each with a plain form to mark it read.

use awn_domain::{deadlines::NoticeKind, digits::localize_digits};
use leptos::prelude::*;

use super::{MarkAllNoticesRead, MarkNoticeRead, NoticeRow, items::WorkItemLine};
use crate::{components::dates::DualDateText, i18n::*, preferences::use_digit_style};

/// The forms that mark notices read; the page is read again after each.
#[derive(Clone, Copy)]
pub struct NoticeActions {
    pub read: ServerAction<MarkNoticeRead>,
    pub read_all: ServerAction<MarkAllNoticesRead>,
    read_done: Signal<usize>,
    all_done: Signal<usize>,
}

impl Default for NoticeActions {
    fn default() -> Self {
        let (read, read_all) = (ServerAction::new(), ServerAction::new());
        let (read_done, all_done) = (crate::forms::successes(read), crate::forms::successes(read_all));
        NoticeActions { read, read_all, read_done, all_done }
    }
}

impl NoticeActions {
    pub fn changes(&self) -> usize {
        self.read_done.get() + self.all_done.get()
    }
}

#[component]
pub fn Notices(notices: Vec<NoticeRow>, total: u64, unread: i64, actions: NoticeActions) -> impl IntoView {
    let i18n = use_i18n();
    let digits = use_digit_style();
    let shown = notices.len();
    let localized = move |text: String| localize_digits(&text, digits.try_get().unwrap_or_default());
    view! {
        <section class="card notices" aria-labelledby="notices-title">
            <h2 id="notices-title">{t!(i18n, work.notices_title)}</h2>
            {if notices.is_empty() {
                view! { <p class="notice">{t!(i18n, work.notices_empty)}</p> }.into_any()
            } else {
                view! {
                    <p class="records__meta">
                        {move || localized(t_string!(i18n, work.notices_unread, count = unread).to_string())}
                        " · "
                        {move || localized(t_string!(i18n, work.notices_shown, shown = shown, total = total).to_string())}
                    </p>
                    {(unread > 0).then(|| view! {
                        <ActionForm action=actions.read_all attr:class="form form--inline" attr:id="form-read-all">
                            <button class="button button--link" type="submit">{t!(i18n, work.mark_all_read)}</button>
                        </ActionForm>
                    })}
                    <ul class="queue notices__list">
                        {notices.into_iter().map(|notice| view! { <NoticeItem notice actions/> }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn NoticeItem(notice: NoticeRow, actions: NoticeActions) -> impl IntoView {
    let i18n = use_i18n();
    let digits = use_digit_style();
    let id = notice.id;
    let kind = move || match notice.kind {
        NoticeKind::Reminder => t_string!(i18n, work.notice_reminder).to_string(),
        NoticeKind::Escalation => t_string!(i18n, work.notice_escalation).to_string(),
        NoticeKind::Digest => t_string!(i18n, work.notice_digest).to_string(),
        NoticeKind::Lapsed => t_string!(i18n, work.notice_lapsed).to_string(),
    };
    let digest = notice.digest.map(|(overdue, today, week)| {
        move || {
            let text = t_string!(i18n, work.digest_counts, overdue = overdue, today = today, week = week).to_string();
            localize_digits(&text, digits.try_get().unwrap_or_default())
        }
    });
    view! {
        <li class=format!("queue__item notice-item notice-item--{}", notice.kind.code())
            class:notice-item--unread=notice.unread id=format!("notice-{id}")>
            <span class="queue__meta">
                {notice.unread.then(|| view! { <strong class="status-badge">{t!(i18n, work.unread)}</strong> " " })}
                <strong>{kind}</strong> " · " <DualDateText unix_seconds=notice.created_at/>
            </span>
            {notice.about.map(|row| view! { <WorkItemLine row/> })}
            {digest.map(|text| view! { <span class="queue__meta">{text}</span> })}
            {notice.unread.then(|| view! {
                <ActionForm action=actions.read attr:class="form form--inline" attr:id=format!("form-read-{id}")>
                    <input type="hidden" name="notice" value=id/>
                    <button class="button button--link" type="submit">{t!(i18n, work.mark_read)}</button>
                </ActionForm>
            })}
        </li>
    }
}
