//! The cooperative's member register (`/staff/members`, `/staff/members/{id}`):
//! membership number, status and its history, joining and leaving days.

use awn_domain::{paging::PagePosition, parties::MemberStatus};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::application::{access::can, registers};
use crate::{
    components::{
        dates::DualDateText,
        form::{SelectField, TextField},
        messages::ErrorMessage,
        pager::Pager,
    },
    error::AppError,
    forms::{FormNotice, FormProblem, field_message, latest_problem, typed},
    i18n::*,
    staff::sign_in::StaffGate,
};

const ADD_FORM: &str = "add-member";
const STATUS_FORM: &str = "member-status";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberItem {
    pub id: i64,
    pub membership_number: String,
    pub full_name: String,
    pub status: MemberStatus,
    pub joined_on: String,
    pub left_on: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MembersPage {
    pub items: Vec<MemberItem>,
    pub pages: PagePosition,
    pub problem: Option<FormProblem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberView {
    pub member: MemberItem,
    pub national_id: Option<String>,
    pub mobile: Option<String>,
    /// (status, reason, when), oldest first.
    pub history: Vec<(MemberStatus, String, i64)>,
    pub problem: Option<FormProblem>,
}

#[cfg(feature = "ssr")]
fn item(row: awn_storage::parties::MemberRow) -> MemberItem {
    MemberItem {
        id: row.id,
        membership_number: row.membership_number,
        full_name: row.full_name,
        status: row.status,
        joined_on: row.joined_on,
        left_on: row.left_on,
    }
}

#[server(endpoint = "staff/members")]
pub async fn load_members(page: Option<String>) -> Result<MembersPage, AppError> {
    let staff = crate::staff::authorize::<can::ManageMembers>().await?;
    let context = crate::state::app_context()?;
    let request = awn_domain::paging::PageRequest::from_query(page.as_deref(), super::PER_PAGE);
    let (rows, pages) = registers::members(&context.database, &staff, request).await?.split();
    Ok(MembersPage { items: rows.into_iter().map(item).collect(), pages, problem: crate::forms::take_flash() })
}

#[server(endpoint = "staff/members/add")]
pub async fn add_member(
    membership_number: Option<String>,
    full_name: Option<String>,
    national_id: Option<String>,
    mobile: Option<String>,
    joined_on: Option<String>,
) -> Result<Option<FormProblem>, AppError> {
    let staff = crate::staff::authorize::<can::ManageMembers>().await?;
    let context = crate::state::app_context()?;
    let form = awn_domain::parties::MemberForm {
        membership_number: membership_number.clone().unwrap_or_default(),
        full_name: full_name.clone().unwrap_or_default(),
        national_id: national_id.clone().unwrap_or_default(),
        mobile: mobile.clone().unwrap_or_default(),
        joined_on: joined_on.clone().unwrap_or_default(),
    };
    match registers::add_member(&context.database, &staff, &form).await? {
        Ok(id) => crate::forms::finish(&format!("/staff/members/{id}"), None),
        Err(refused) => {
            let values = [
                ("membership_number", &membership_number),
                ("full_name", &full_name),
                ("national_id", &national_id),
                ("mobile", &mobile),
                ("joined_on", &joined_on),
            ];
            crate::forms::finish("/staff/members", Some(refused.on(ADD_FORM).with_values(&values)))
        }
    }
}

#[server(endpoint = "staff/member")]
pub async fn load_member(id: i64) -> Result<MemberView, AppError> {
    let staff = crate::staff::authorize::<can::ManageMembers>().await?;
    let context = crate::state::app_context()?;
    let file = registers::member(&context.database, &staff, id).await?;
    Ok(MemberView {
        member: item(file.member),
        national_id: file.national_id,
        mobile: file.mobile,
        history: file.history,
        problem: crate::forms::take_flash(),
    })
}

#[server(endpoint = "staff/members/status")]
pub async fn set_member_status(
    member: i64,
    status: Option<String>,
    day: Option<String>,
    reason: Option<String>,
) -> Result<Option<FormProblem>, AppError> {
    let staff = crate::staff::authorize::<can::ManageMembers>().await?;
    let context = crate::state::app_context()?;
    let (typed_status, typed_day, typed_reason) = (
        status.as_deref().unwrap_or_default(),
        day.as_deref().unwrap_or_default(),
        reason.as_deref().unwrap_or_default(),
    );
    let changed =
        registers::set_member_status(&context.database, &staff, member, typed_status, typed_day, typed_reason).await?;
    let values = [("status", &status), ("day", &day), ("reason", &reason)];
    let back = format!("/staff/members/{member}");
    crate::forms::finish(&back, changed.err().map(|refused| refused.on(STATUS_FORM).with_values(&values)))
}

fn status_text(locale: Locale, status: MemberStatus) -> String {
    match status {
        MemberStatus::Active => td_string!(locale, registers.member_active),
        MemberStatus::Suspended => td_string!(locale, registers.member_suspended),
        MemberStatus::Left => td_string!(locale, registers.member_left),
    }
    .to_string()
}

#[component]
pub fn StaffMembersPage() -> impl IntoView {
    let add = ServerAction::<AddMember>::new();
    let query = use_query_map();
    let page = Resource::new(move || query.with(|q| q.get("page")), load_members);
    view! { <StaffGate children=move |_session| view! { <MembersList page add/> }/> }
}

#[component]
fn MembersList(page: Resource<Result<MembersPage, AppError>>, add: ServerAction<AddMember>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=t_string!(i18n, registers.members_title).to_string()/>
        <h1>{t!(i18n, registers.members_title)}</h1>
        <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(error) => view! { <ErrorMessage error/> }.into_any(),
                    Ok(page) => {
                        let problem = latest_problem(add, page.problem.clone());
                        let pages = page.pages;
                        view! {
                            {page.items.is_empty().then(|| view! { <p class="notice">{t!(i18n, registers.members_empty)}</p> })}
                            <ul class="records">
                                {page.items.into_iter().map(|m| view! {
                                    <li class="card">
                                        <bdi dir="ltr">{m.membership_number.clone()}</bdi> " · "
                                        <a href=format!("/staff/members/{}", m.id)>{m.full_name.clone()}</a>
                                        " · " <strong>{status_text(i18n.get_locale(), m.status)}</strong>
                                    </li>
                                }).collect_view()}
                            </ul>
                            <Pager position=pages/>
                            <AddMemberForm add problem/>
                        }
                        .into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
fn AddMemberForm(add: ServerAction<AddMember>, problem: Signal<Option<FormProblem>>) -> impl IntoView {
    let i18n = use_i18n();
    let typed_now = problem.get_untracked();
    let f = ADD_FORM;
    view! {
        <section class="card" aria-labelledby="add-member-title">
            <h2 id="add-member-title">{t!(i18n, registers.add_member)}</h2>
            <ActionForm action=add attr:class="form" attr:id="form-add-member" attr:novalidate=true>
                <TextField name="membership_number" label=move || t_string!(i18n, registers.membership_number) dir="ltr"
                    value=typed(&typed_now, f, "membership_number") error=field_message(problem, f.into(), "membership_number")/>
                <TextField name="full_name" label=move || t_string!(i18n, registers.name)
                    value=typed(&typed_now, f, "full_name") error=field_message(problem, f.into(), "full_name")/>
                <TextField name="national_id" label=move || t_string!(i18n, registers.national_id_optional) inputmode="numeric" dir="ltr"
                    value=typed(&typed_now, f, "national_id") error=field_message(problem, f.into(), "national_id")/>
                <TextField name="mobile" label=move || t_string!(i18n, registers.mobile_optional) inputmode="tel" dir="ltr"
                    value=typed(&typed_now, f, "mobile") error=field_message(problem, f.into(), "mobile")/>
                <TextField name="joined_on" label=move || t_string!(i18n, registers.joined_on) dir="ltr"
                    hint=move || t_string!(i18n, registers.day_hint)
                    value=typed(&typed_now, f, "joined_on") error=field_message(problem, f.into(), "joined_on")/>
                <FormNotice problem form=f/>
                <button class="button button--primary" type="submit">{t!(i18n, registers.add_member)}</button>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn StaffMemberPage() -> impl IntoView {
    let params = use_params_map();
    let change = ServerAction::<SetMemberStatus>::new();
    let changed = crate::forms::successes(change);
    let file = Resource::new(
        move || (params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok())), changed.get()),
        |(id, _)| async move {
            match id {
                Some(id) => load_member(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    let i18n = use_i18n();
    view! {
        <StaffGate children=move |_session| view! {
            <Title text=t_string!(i18n, registers.members_title).to_string()/>
            <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match file.await {
                        Err(error) => view! { <ErrorMessage error/> }.into_any(),
                        Ok(view) => view! { <MemberRecord view change/> }.into_any(),
                    }
                })}
            </Transition>
        }/>
    }
}

#[component]
fn MemberRecord(view: MemberView, change: ServerAction<SetMemberStatus>) -> impl IntoView {
    let i18n = use_i18n();
    let m = view.member.clone();
    let problem = latest_problem(change, view.problem.clone());
    let none = || "—".to_owned();
    view! {
        <h1>{m.full_name.clone()}</h1>
        <section class="card">
            <dl class="facts">
                <dt>{t!(i18n, registers.membership_number)}</dt><dd><bdi dir="ltr">{m.membership_number.clone()}</bdi></dd>
                <dt>{t!(i18n, registers.status)}</dt><dd>{status_text(i18n.get_locale(), m.status)}</dd>
                <dt>{t!(i18n, registers.joined_on)}</dt><dd><bdi dir="ltr">{m.joined_on.clone()}</bdi></dd>
                <dt>{t!(i18n, registers.left_on)}</dt><dd><bdi dir="ltr">{m.left_on.clone().unwrap_or_else(none)}</bdi></dd>
                <dt>{t!(i18n, registers.national_id_optional)}</dt><dd><bdi dir="ltr">{view.national_id.clone().unwrap_or_else(none)}</bdi></dd>
                <dt>{t!(i18n, registers.mobile_optional)}</dt><dd><bdi dir="ltr">{view.mobile.clone().unwrap_or_else(none)}</bdi></dd>
            </dl>
        </section>
        <section class="card" aria-labelledby="history-title">
            <h2 id="history-title">{t!(i18n, registers.history)}</h2>
            <ol class="timeline">
                {view.history.clone().into_iter().map(|(status, reason, at)| view! {
                    <li>
                        <strong>{status_text(i18n.get_locale(), status)}</strong> " · " <DualDateText unix_seconds=at/>
                        {(!reason.is_empty()).then(|| view! { " · " {reason.clone()} })}
                    </li>
                }).collect_view()}
            </ol>
        </section>
        <StatusForm member=m.id current=m.status change problem/>
        <p><a href="/staff/members">{t!(i18n, registers.back_to_members)}</a></p>
    }
}

#[component]
fn StatusForm(
    member: i64,
    current: MemberStatus,
    change: ServerAction<SetMemberStatus>,
    problem: Signal<Option<FormProblem>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let typed_now = problem.get_untracked();
    let options = MemberStatus::ALL
        .iter()
        .filter(|status| **status != current)
        .map(|status| (status.code().to_owned(), status_text(i18n.get_locale(), *status)))
        .collect();
    let f = STATUS_FORM;
    view! {
        <section class="card" aria-labelledby="status-title">
            <h2 id="status-title">{t!(i18n, registers.change_status)}</h2>
            <ActionForm action=change attr:class="form" attr:id="form-member-status" attr:novalidate=true>
                <input type="hidden" name="member" value=member/>
                <SelectField name="status" id="field-member-status" label=move || t_string!(i18n, registers.status)
                    placeholder=move || t_string!(i18n, registers.choose) options
                    selected=typed(&typed_now, f, "status") error=field_message(problem, f.into(), "status")/>
                <TextField name="day" label=move || t_string!(i18n, registers.status_day) dir="ltr"
                    hint=move || t_string!(i18n, registers.day_hint)
                    value=typed(&typed_now, f, "day") error=field_message(problem, f.into(), "day")/>
                <TextField name="reason" label=move || t_string!(i18n, registers.status_reason)
                    value=typed(&typed_now, f, "reason") error=field_message(problem, f.into(), "reason")/>
                <FormNotice problem form=f/>
                <button class="button" type="submit">{t!(i18n, registers.change_status)}</button>
            </ActionForm>
        </section>
    }
}
