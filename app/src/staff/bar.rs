//! The bar above every staff page: who is signed in, the workspace's sections
//! behind one menu button, and signing out. The menu is a `<details>`: it opens
//! without JavaScript and keeps the bar to one line on a phone, so a page's
//! title is on the first screen.

use awn_domain::staff::Permission;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

use super::{StaffSession, sign_in::StaffSignOut};
use crate::i18n::*;

#[component]
pub fn StaffBar(session: StaffSession, sign_out: ServerAction<StaffSignOut>) -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let unread = Some(session.unread_notices).filter(|count| *count > 0 && session.may(Permission::ViewMyWork));
    let unread_badge = move || {
        unread.map(|count| {
            view! {
                " " <span class="badge" aria-label=move || format!("{count} {}", t_string!(i18n, work.unread_badge))>{count}</span>
            }
        })
    };
    let sections = super::workspace_links(&session);
    let section_link = move |(permission, href): (Permission, &'static str)| {
        view! {
            <a href=href aria-current=move || (location.pathname.get() == href).then_some("page")>
                {move || super::labels::section_text(i18n.get_locale(), permission)}
                {(permission == Permission::ViewMyWork).then(unread_badge)}
            </a>
        }
    };
    let role = session.role;
    view! {
        <div class="staff-bar">
            <details class="staff-menu">
                <summary class="staff-menu__toggle">{t!(i18n, staff.menu)} {unread_badge}</summary>
                <nav class="staff-menu__links" aria-label=move || t_string!(i18n, staff.nav_label)>
                    {sections.into_iter().map(section_link).collect_view()}
                    // Every staff member's own pages: internal surveys, suggestions, their account.
                    <a href="/staff/feedback" aria-current=move || (location.pathname.get() == "/staff/feedback").then_some("page")>
                        {t!(i18n, feedback.title)}
                    </a>
                    <a href="/staff/account" aria-current=move || (location.pathname.get() == "/staff/account").then_some("page")>
                        {t!(i18n, account_security.title)}
                    </a>
                </nav>
            </details>
            <span class="staff-bar__who">
                {session.display_name.clone()} " · " {move || super::labels::role_text(i18n.get_locale(), role)}
            </span>
            <ActionForm action=sign_out attr:class="form form--inline">
                <button class="button button--link" type="submit">{t!(i18n, staff.sign_out)}</button>
            </ActionForm>
        </div>
    }
}
