//! Who supervises whom (admins): escalations of a staff member's overdue work
//! go to their supervisor, and a supervisor sees their team in "my work".

#[cfg(feature = "ssr")]
use crate::application::{access::can, work};

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{
    components::form::SelectField,
    error::AppError,
    forms::{FormNotice, FormProblem, field_message, latest_problem},
    i18n::*,
};

fn supervisor_form(account: i64) -> String {
    format!("supervisor-{account}")
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountSupervisor {
    pub id: i64,
    pub display_name: String,
    pub supervisor: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupervisorsPage {
    pub accounts: Vec<AccountSupervisor>,
    pub problem: Option<FormProblem>,
}

/// Every account and its supervisor: part of the work page's answer for admins.
#[cfg(feature = "ssr")]
pub(super) async fn supervisors_page(
    database: &awn_storage::Database,
    admin: &crate::application::access::Authorized<can::ManageStaff>,
    problem: Option<FormProblem>,
) -> Result<SupervisorsPage, AppError> {
    let accounts = work::accounts_with_supervisors(database, admin)
        .await?
        .into_iter()
        .map(|(account, supervisor)| AccountSupervisor {
            id: account.id,
            display_name: account.display_name,
            supervisor,
        })
        .collect();
    Ok(SupervisorsPage { accounts, problem })
}

#[server(endpoint = "staff/supervisors/set")]
pub async fn set_supervisor(account: i64, supervisor: Option<String>) -> Result<Option<FormProblem>, AppError> {
    let staff = crate::staff::authorize::<can::ManageStaff>().await?;
    let context = crate::state::app_context()?;
    let chosen = match supervisor.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(text) => match text.parse::<i64>() {
            Ok(id) => Some(id),
            Err(_) => {
                let problem = FormProblem::new(supervisor_form(account), "supervisor", crate::forms::Problem::Invalid);
                return crate::forms::finish("/staff/work", Some(problem));
            }
        },
    };
    let done = work::set_supervisor(&context.database, &staff, account, chosen).await?;
    crate::forms::finish("/staff/work", done.err().map(|refused| refused.on(&supervisor_form(account))))
}

/// Every account with a choice of supervisor (admins).
#[component]
pub fn SupervisorsSection(page: SupervisorsPage, set: ServerAction<SetSupervisor>) -> impl IntoView {
    let i18n = use_i18n();
    let problem = latest_problem(set, page.problem.clone());
    let everyone = page.accounts.clone();
    view! {
        <section class="card" aria-labelledby="supervisors-title">
            <h2 id="supervisors-title">{t!(i18n, work.supervisors_title)}</h2>
            <p>{t!(i18n, work.supervisors_lead)}</p>
            <ul class="records">
                {page.accounts.into_iter().map(|account| view! {
                    <SupervisorForm account everyone=everyone.clone() set problem/>
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn SupervisorForm(
    account: AccountSupervisor,
    everyone: Vec<AccountSupervisor>,
    set: ServerAction<SetSupervisor>,
    problem: Signal<Option<FormProblem>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = account.id;
    let form = supervisor_form(id);
    let options: Vec<(String, String)> = everyone
        .into_iter()
        .filter(|other| other.id != id)
        .map(|other| (other.id.to_string(), other.display_name))
        .collect();
    let name = account.display_name.clone();
    let form_id = format!("form-{form}");
    view! {
        <li>
            <ActionForm action=set attr:class="form form--inline" attr:id=form_id>
                <input type="hidden" name="account" value=id/>
                <SelectField name="supervisor" id=format!("supervisor-{id}")
                    label=move || t_string!(i18n, work.supervisor_label, name = name.clone()).to_string()
                    placeholder=move || t_string!(i18n, work.supervisor_none)
                    options selected=account.supervisor.map(|s| s.to_string()).unwrap_or_default()
                    error=field_message(problem, form.clone(), "supervisor")/>
                <FormNotice problem form=form.clone()/>
                <button class="button" type="submit">{t!(i18n, work.supervisor_save)}</button>
            </ActionForm>
        </li>
    }
}
