//! Disclosures (`/staff/disclosures`, B1, B4): recorded only with an
//! authority's order.

use awn_domain::paging::PagePosition;
#[cfg(feature = "ssr")]
use awn_domain::paging::PageRequest;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::application::{access::can, privacy as use_case};
use crate::{
    components::{
        dates::DualDateText,
        form::{TextAreaField, TextField},
        messages::ErrorMessage,
        pager::Pager,
    },
    error::AppError,
    forms::{FormNotice, FormProblem, field_message, latest_problem, typed},
    i18n::*,
    staff::{account, sign_in::StaffGate},
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisclosureItem {
    pub id: i64,
    pub beneficiary_id: i64,
    pub authority: String,
    pub order_reference: String,
    pub order_date: String,
    pub data_disclosed: String,
    pub approved_by: String,
    pub recorded_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisclosuresPage {
    pub disclosures: Vec<DisclosureItem>,
    /// Where this page sits among all the disclosures.
    pub pages: PagePosition,
    pub problem: Option<FormProblem>,
}

const DISCLOSURE_FORM: &str = "disclosure";

#[server(endpoint = "staff/disclosures")]
pub async fn load_disclosures(page: Option<String>) -> Result<DisclosuresPage, AppError> {
    let context = crate::state::app_context()?;
    let staff = crate::staff::authorize::<can::RecordDisclosure>().await?;
    let request = PageRequest::from_query(page.as_deref(), super::PER_PAGE);
    let (disclosures, pages) = use_case::disclosures(&context.database, &staff, request).await?;
    Ok(DisclosuresPage { disclosures, pages, problem: crate::forms::take_flash() })
}

/// Records a disclosure ordered by an authority; without the order's reference
/// (or its authority, date, or what was disclosed) nothing is recorded.
#[server(endpoint = "staff/disclosures/record")]
pub async fn record_disclosure(
    beneficiary: Option<String>,
    authority: Option<String>,
    order_reference: Option<String>,
    order_date: Option<String>,
    data_disclosed: Option<String>,
    confirm_password: Option<String>,
    confirm_code: Option<String>,
) -> Result<Option<FormProblem>, AppError> {
    use awn_domain::privacy::DisclosureForm;
    let staff = crate::staff::authorize::<can::RecordDisclosure>().await?;
    let context = crate::state::app_context()?;
    let form = DisclosureForm {
        authority: authority.clone().unwrap_or_default(),
        order_reference: order_reference.clone().unwrap_or_default(),
        order_date: order_date.clone().unwrap_or_default(),
        data_disclosed: data_disclosed.clone().unwrap_or_default(),
    };
    // Awaited only once the rest of the form is in order.
    let step_up = account::step_up::confirm(&staff, confirm_password.as_deref(), confirm_code.as_deref());
    let beneficiary_typed = beneficiary.as_deref().unwrap_or_default();
    let outcome = use_case::record_disclosure(&context.database, &staff, beneficiary_typed, &form, step_up).await?;
    let values = [
        ("beneficiary", &beneficiary),
        ("authority", &authority),
        ("order_reference", &order_reference),
        ("order_date", &order_date),
        ("data_disclosed", &data_disclosed),
    ];
    super::answer("/staff/disclosures", DISCLOSURE_FORM, outcome, &values)
}

#[component]
pub fn StaffDisclosuresPage() -> impl IntoView {
    let record = ServerAction::<RecordDisclosure>::new();
    let recorded = crate::forms::successes(record);
    let query = use_query_map();
    let page =
        Resource::new(move || (recorded.get(), query.with(|q| q.get("page"))), |(_, page)| load_disclosures(page));
    view! { <StaffGate children=move |_session| view! { <DisclosuresView page record/> }/> }
}

#[component]
fn DisclosuresView(
    page: Resource<Result<DisclosuresPage, AppError>>,
    record: ServerAction<RecordDisclosure>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=t_string!(i18n, disclosures.title).to_string()/>
        <h1>{t!(i18n, disclosures.title)}</h1>
        <p>{t!(i18n, disclosures.lead)}</p>
        <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(error) => view! { <ErrorMessage error/> }.into_any(),
                    Ok(page) => {
                        let problem = latest_problem(record, page.problem.clone());
                        let pages = page.pages;
                        view! {
                            <NewDisclosureForm record problem/>
                            {if page.disclosures.is_empty() {
                                view! { <p class="notice">{t!(i18n, disclosures.empty)}</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="records">
                                        {page.disclosures.into_iter().map(|disclosure| view! {
                                            <DisclosureRow disclosure/>
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

/// The form recording a disclosure, with the step-up.
#[component]
fn NewDisclosureForm(record: ServerAction<RecordDisclosure>, problem: Signal<Option<FormProblem>>) -> impl IntoView {
    let i18n = use_i18n();
    let current = problem.get_untracked();
    let form = DISCLOSURE_FORM.to_owned();
    let field = {
        let form = form.clone();
        move |name: &'static str| field_message(problem, form.clone(), name)
    };
    let value = move |name: &str| typed(&current, DISCLOSURE_FORM, name);
    view! {
        <section class="card" aria-labelledby="disclosure-form-title">
            <h2 id="disclosure-form-title">{t!(i18n, disclosures.record_title)}</h2>
            <ActionForm action=record attr:class="form" attr:id="form-disclosure" attr:novalidate=true>
                <TextField name="beneficiary" label=move || t_string!(i18n, disclosures.beneficiary)
                    inputmode="numeric" dir="ltr" value=value("beneficiary") error=field("beneficiary")/>
                <TextField name="authority" label=move || t_string!(i18n, disclosures.authority)
                    value=value("authority") error=field("authority")/>
                <TextField name="order_reference" label=move || t_string!(i18n, disclosures.order_reference)
                    dir="ltr" value=value("order_reference") error=field("order_reference")/>
                <TextField name="order_date" label=move || t_string!(i18n, disclosures.order_date)
                    input_type="date" dir="ltr" value=value("order_date") error=field("order_date")/>
                <TextAreaField name="data_disclosed" label=move || t_string!(i18n, disclosures.data_disclosed)
                    value=value("data_disclosed") error=field("data_disclosed")/>
                <account::StepUpFields suffix="disclosure" error=field(account::CONFIRM_PASSWORD)/>
                <FormNotice problem form=form.clone()/>
                <button class="button button--primary" type="submit">{t!(i18n, disclosures.record_button)}</button>
            </ActionForm>
        </section>
    }
}

/// One disclosure: who ordered it, and what was handed over about whom.
#[component]
fn DisclosureRow(disclosure: DisclosureItem) -> impl IntoView {
    let i18n = use_i18n();
    let d = disclosure;
    view! {
        <li class="card records__item">
            <strong>{d.authority.clone()}</strong>
            <span class="records__meta">
                {t!(i18n, disclosures.order_reference)} ": " <bdi dir="ltr">{d.order_reference.clone()}</bdi>
                " · " <bdi dir="ltr">{d.order_date.clone()}</bdi>
                " · " <a href=format!("/staff/beneficiaries/{}", d.beneficiary_id)>{format!("#{}", d.beneficiary_id)}</a>
            </span>
            <p class="records__body">{d.data_disclosed.clone()}</p>
            <span class="records__meta">{t!(i18n, disclosures.approved_by)} " " {d.approved_by.clone()} " · "
                <DualDateText unix_seconds=d.recorded_at/></span>
        </li>
    }
}
