//! Complaints and objections (`/staff/complaints`, A2): every complaint from its
//! receipt to a resolution whose reason the beneficiary reads (and is told of).

#[cfg(feature = "ssr")]
use awn_domain::complaints::staff_return_path;

#[cfg(feature = "ssr")]
use crate::application::{access::can, complaints};

use awn_domain::{channels::Channel, paging::PagePosition};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use super::{labels::channel_text, sign_in::StaffGate};
use crate::{
    complaints::{ComplaintStage, ComplaintStageText},
    components::{dates::DualDateText, form::TextAreaField, messages::ErrorMessage, pager::Pager},
    error::AppError,
    forms::{FormNotice, FormProblem, field_message, latest_problem, typed},
    i18n::*,
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplaintItem {
    pub id: i64,
    pub beneficiary_id: i64,
    pub request_id: Option<i64>,
    pub request_reference: Option<String>,
    pub body: String,
    pub channel: Channel,
    pub stage: ComplaintStage,
    pub resolution: Option<String>,
    pub resolved_by: Option<String>,
    pub resolved_at: Option<i64>,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplaintsPage {
    pub items: Vec<ComplaintItem>,
    /// Where this page sits in the filtered list.
    pub pages: PagePosition,
    pub problem: Option<FormProblem>,
}

/// Complaints on a page; the pager reaches the rest.
#[cfg(feature = "ssr")]
const PER_PAGE: u32 = 50;

fn resolve_form(id: i64) -> String {
    format!("resolve-{id}")
}

fn review_form(id: i64) -> String {
    format!("review-{id}")
}

#[cfg(feature = "ssr")]
pub(crate) fn item_of(c: awn_storage::complaints::ComplaintRow) -> ComplaintItem {
    ComplaintItem {
        stage: ComplaintStage::from_status(&c.status),
        id: c.id,
        beneficiary_id: c.beneficiary_id,
        request_id: c.request_id,
        request_reference: c.request_reference,
        body: c.body,
        channel: c.channel,
        resolution: c.resolution,
        resolved_by: c.resolved_by_name,
        resolved_at: c.resolved_at,
        created_at: c.created_at,
    }
}

#[server(endpoint = "staff/complaints")]
pub async fn load_complaints(status: Option<String>, page: Option<String>) -> Result<ComplaintsPage, AppError> {
    let context = crate::state::app_context()?;
    let staff = super::authorize::<can::HandleComplaint>().await?;
    let status = status.filter(|s| !s.is_empty());
    let request = awn_domain::paging::PageRequest::from_query(page.as_deref(), PER_PAGE);
    let (items, pages) = complaints::list(&context.database, &staff, status.as_deref(), request).await?;
    Ok(ComplaintsPage { items, pages, problem: crate::forms::take_flash() })
}

#[server(endpoint = "staff/complaints/review")]
pub async fn start_complaint_review(complaint: i64, from: Option<String>) -> Result<Option<FormProblem>, AppError> {
    let staff = super::authorize::<can::HandleComplaint>().await?;
    let context = crate::state::app_context()?;
    let back = staff_return_path(from.as_deref());
    let started = complaints::start_review(&context.database, &staff, complaint).await?;
    crate::forms::finish(back, started.err().map(|refused| refused.on(&review_form(complaint))))
}

#[server(endpoint = "staff/complaints/resolve")]
pub async fn resolve_complaint(
    complaint: i64,
    resolution: Option<String>,
    from: Option<String>,
) -> Result<Option<FormProblem>, AppError> {
    let staff = super::authorize::<can::HandleComplaint>().await?;
    let context = crate::state::app_context()?;
    let back = staff_return_path(from.as_deref());
    let text = resolution.as_deref().unwrap_or_default();
    let resolved = complaints::resolve(&context.database, &staff, complaint, text).await?;
    let refused =
        resolved.err().map(|refused| refused.on(&resolve_form(complaint)).with_values(&[("resolution", &resolution)]));
    crate::forms::finish(back, refused)
}

/// The complaints handled on a page, with the forms to move each one on.
#[derive(Clone, Copy)]
pub struct ComplaintActions {
    pub review: ServerAction<StartComplaintReview>,
    pub resolve: ServerAction<ResolveComplaint>,
    reviewed: Signal<usize>,
    resolved: Signal<usize>,
}

impl Default for ComplaintActions {
    fn default() -> Self {
        let (review, resolve) = (ServerAction::new(), ServerAction::new());
        let (reviewed, resolved) = (crate::forms::successes(review), crate::forms::successes(resolve));
        ComplaintActions { review, resolve, reviewed, resolved }
    }
}

impl ComplaintActions {
    /// Steps taken: the complaints are read again after each.
    pub fn changes(&self) -> usize {
        self.reviewed.get() + self.resolved.get()
    }
}

/// One complaint and, for staff who handle complaints, its next step. `from` is
/// the page the forms come back to.
#[component]
pub fn ComplaintCard(
    item: ComplaintItem,
    actions: ComplaintActions,
    may_handle: bool,
    flash: Option<FormProblem>,
    #[prop(into)] from: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = item.id;
    let review_problem = latest_problem(actions.review, flash.clone());
    let resolve_problem = latest_problem(actions.resolve, flash);
    let typed_resolution = typed(&resolve_problem.get_untracked(), &resolve_form(id), "resolution");
    let resolve_form = resolve_form(id);
    let review_form = review_form(id);
    let from_review = from.clone();
    view! {
        <li class="card complaint" id=format!("complaint-{id}")>
            <p class="records__meta">
                <strong class=format!("status-badge complaint--{}", item.stage.code())>{item.stage.text(i18n.get_locale())}</strong>
                " · " {channel_text(i18n.get_locale(), item.channel)}
                " · " <DualDateText unix_seconds=item.created_at/>
                {item.request_reference.clone().zip(item.request_id).map(|(reference, request)| view! {
                    " · " <a href=format!("/staff/requests/{request}")><bdi dir="ltr">{reference}</bdi></a>
                })}
                " · " <a href=format!("/staff/beneficiaries/{}", item.beneficiary_id)>{t!(i18n, inquiries.open_file)}</a>
            </p>
            <p class="complaint__body">{item.body.clone()}</p>
            {item.resolution.clone().map(|resolution| view! {
                <p class="complaint__resolution"><strong>{t!(i18n, complaints.resolution)}</strong> " " {resolution}</p>
                <p class="records__meta">
                    {item.resolved_by.clone().unwrap_or_default()} " · "
                    {item.resolved_at.map(|at| view! { <DualDateText unix_seconds=at/> })}
                </p>
            })}
            {(may_handle && item.stage == ComplaintStage::Received).then(|| view! {
                <ActionForm action=actions.review attr:class="form form--inline" attr:id=format!("form-review-{id}")>
                    <input type="hidden" name="complaint" value=id/>
                    <input type="hidden" name="from" value=from_review/>
                    <FormNotice problem=review_problem form=review_form.clone()/>
                    <button class="button" type="submit">{t!(i18n, complaints.start_review)}</button>
                </ActionForm>
            })}
            {(may_handle && item.stage != ComplaintStage::Resolved).then(|| view! {
                <ActionForm action=actions.resolve attr:class="form" attr:id=format!("form-resolve-{id}") attr:novalidate=true>
                    <input type="hidden" name="complaint" value=id/>
                    <input type="hidden" name="from" value=from.clone()/>
                    <TextAreaField name="resolution" id_suffix=id.to_string()
                        label=move || t_string!(i18n, complaints.resolution_label)
                        value=typed_resolution.clone() required=true
                        error=field_message(resolve_problem, resolve_form.clone(), "resolution")/>
                    <FormNotice problem=resolve_problem form=resolve_form.clone()/>
                    <button class="button button--primary" type="submit">{t!(i18n, complaints.resolve)}</button>
                </ActionForm>
            })}
        </li>
    }
}

#[component]
pub fn StaffComplaintsPage() -> impl IntoView {
    let query = use_query_map();
    let actions = ComplaintActions::default();
    let page = Resource::new(
        move || (query.with(|q| q.get("status")), query.with(|q| q.get("page")), actions.changes()),
        |(status, page, _)| load_complaints(status, page),
    );
    view! { <StaffGate children=move |_session| view! { <ComplaintsView page actions/> }/> }
}

#[component]
fn ComplaintsView(page: Resource<Result<ComplaintsPage, AppError>>, actions: ComplaintActions) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let selected = move |value: &str| query.with(|q| q.get("status")).as_deref() == Some(value);
    view! {
        <Title text=t_string!(i18n, complaints.staff_title).to_string()/>
        <h1>{t!(i18n, complaints.staff_title)}</h1>
        <form method="get" action="/staff/complaints" class="form filters" role="search">
            <div class="field">
                <label class="field__label" for="filter-status">{t!(i18n, staff.filter_status)}</label>
                <select class="field__input" id="filter-status" name="status">
                    <option value="">{t!(i18n, staff.filter_any)}</option>
                    {[ComplaintStage::Received, ComplaintStage::InReview, ComplaintStage::Resolved].into_iter().map(|stage| view! {
                        <option value=stage.code() selected=move || selected(stage.code())>{stage.text(i18n.get_locale())}</option>
                    }).collect_view()}
                </select>
            </div>
            <button class="button" type="submit">{t!(i18n, staff.filter_apply)}</button>
        </form>
        <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(error) => view! { <ErrorMessage error/> }.into_any(),
                    Ok(page) if page.items.is_empty() => view! { <p class="notice">{t!(i18n, complaints.empty)}</p> }.into_any(),
                    Ok(page) => {
                        let flash = page.problem.clone();
                        let pages = page.pages;
                        view! {
                            <ul class="complaints">
                                {page.items.into_iter().map(|item| view! {
                                    <ComplaintCard item actions may_handle=true flash=flash.clone() from="/staff/complaints"/>
                                }).collect_view()}
                            </ul>
                            <Pager position=pages/>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}
