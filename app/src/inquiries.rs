//! Questions from the public (A6): the FAQ anyone can search (`/faq`) and the
//! form to ask a question online. The answer reaches the asker through the
//! outbox; a signed-in beneficiary also reads their questions and answers here.

use awn_domain::locale::Language;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use crate::{
    components::{
        dates::DualDateText,
        form::{TextAreaField, TextField},
        messages::ErrorMessage,
    },
    error::AppError,
    forms::{FormNotice, FormProblem, field_message, latest_problem, typed},
    i18n::*,
    preferences::language_of,
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaqItem {
    pub id: i64,
    pub question: String,
    pub answer: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyQuestion {
    pub question: String,
    pub answer: Option<String>,
    pub asked_at: i64,
    pub answered_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaqPage {
    pub entries: Vec<FaqItem>,
    /// The signed-in beneficiary's own questions (empty when signed out).
    pub mine: Vec<MyQuestion>,
    pub signed_in: bool,
    pub problem: Option<FormProblem>,
}

/// The form's name in problems.
const ASK_FORM: &str = "ask";

#[server(endpoint = "faq")]
pub async fn load_faq(query: Option<String>, language: Language) -> Result<FaqPage, AppError> {
    use crate::application::inquiries;
    let context = crate::state::app_context()?;
    let entries = inquiries::faq(&context.database, language, query.as_deref().unwrap_or_default()).await?;
    let account = crate::session::current_beneficiary().await?;
    let mine = match &account {
        Some(account) => inquiries::questions_of(&context.database, account.id).await?,
        None => Vec::new(),
    };
    Ok(FaqPage { entries, mine, signed_in: account.is_some(), problem: crate::forms::take_flash() })
}

/// A question asked on the website. Signed in, the answer goes to the account's
/// mobile; otherwise a mobile number or an email address is needed for it.
#[server(endpoint = "inquiries/ask")]
pub async fn ask_question(
    asker_name: Option<String>,
    mobile: Option<String>,
    email: Option<String>,
    question: Option<String>,
) -> Result<Option<FormProblem>, AppError> {
    use crate::{
        application::inquiries::{self, AskedQuestion},
        forms::finish,
    };
    let context = crate::state::app_context()?;
    let language = crate::preferences::request_language(&context);
    let account = crate::session::current_beneficiary().await?;
    let asked = AskedQuestion { asker_name: &asker_name, mobile: &mobile, email: &email, question: &question };
    let asked = inquiries::ask_online(&context, account.map(|a| a.id), asked, language).await?;
    if let Err(refused) = asked {
        let problem = refused.on(ASK_FORM).with_values(&[
            ("asker_name", &asker_name),
            ("mobile", &mobile),
            ("email", &email),
            ("question", &question),
        ]);
        return finish("/faq", Some(problem));
    }
    finish("/faq?asked=1", None)
}

/// A question's fields, checked.
#[cfg(feature = "ssr")]
pub(crate) struct CheckedQuestion {
    pub name: String,
    pub text: String,
    pub phone: Option<awn_domain::identity::SaudiMobile>,
    pub address: Option<String>,
}

/// Checks a question's fields as typed in `form`, online or by staff; with
/// `contact_required` a mobile number or an email address must be given.
#[cfg(feature = "ssr")]
pub(crate) fn checked_question(
    form: &str,
    asker_name: &Option<String>,
    mobile: &Option<String>,
    email: &Option<String>,
    question: &Option<String>,
    contact_required: bool,
) -> Result<CheckedQuestion, FormProblem> {
    use awn_domain::{
        identity::{SaudiMobile, parse_optional_email},
        workflow::{MAX_NOTE_CHARS, MAX_SHORT_TEXT_CHARS},
    };

    use crate::forms::{Problem, checked_text};
    let name = checked_text(form, "asker_name", asker_name.as_deref(), MAX_SHORT_TEXT_CHARS, false)?;
    let text = checked_text(form, "question", question.as_deref(), MAX_NOTE_CHARS, true)?;
    let mobile_text = mobile.as_deref().unwrap_or_default().trim();
    let phone = if mobile_text.is_empty() {
        None
    } else {
        Some(SaudiMobile::parse(mobile_text).map_err(|_| FormProblem::new(form, "mobile", Problem::Invalid))?)
    };
    let address = parse_optional_email(email.as_deref().unwrap_or_default())
        .map_err(|_| FormProblem::new(form, "email", Problem::Invalid))?;
    if contact_required && phone.is_none() && address.is_none() {
        return Err(FormProblem::new(form, "mobile", Problem::ContactRequired));
    }
    Ok(CheckedQuestion { name, text, phone, address })
}

#[component]
pub fn FaqPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let ask = ServerAction::<AskQuestion>::new();
    let asked = crate::forms::successes(ask);
    let page = Resource::new(
        move || (query.with(|q| q.get("q")), language_of(i18n.get_locale()), asked.get()),
        |(search, language, _)| load_faq(search, language),
    );
    view! {
        <Title text=t_string!(i18n, faq.title).to_string()/>
        <h1>{t!(i18n, faq.title)}</h1>
        <form method="get" action="/faq" class="form filters" role="search">
            <div class="field">
                <label class="field__label" for="faq-q">{t!(i18n, faq.search_label)}</label>
                <input class="field__input" id="faq-q" name="q" type="search"
                    value=move || query.with(|q| q.get("q")).unwrap_or_default()/>
            </div>
            <button class="button" type="submit">{t!(i18n, faq.search)}</button>
        </form>
        <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(error) => view! { <ErrorMessage error/> }.into_any(),
                    Ok(page) => {
                        let just_asked = move || query.with(|q| q.get("asked").is_some());
                        let problem = latest_problem(ask, page.problem.clone());
                        let flash = problem.get_untracked();
                        let form = ASK_FORM.to_owned();
                        view! {
                            {if page.entries.is_empty() {
                                view! { <p class="notice">{t!(i18n, faq.empty)}</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="faq">
                                        {page.entries.into_iter().map(|entry| view! {
                                            <li class="faq__item card">
                                                <details>
                                                    <summary class="faq__question">{entry.question}</summary>
                                                    <p class="faq__answer">{entry.answer}</p>
                                                </details>
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                            {(!page.mine.is_empty()).then(|| view! {
                                <section class="card">
                                    <h2>{t!(i18n, faq.mine)}</h2>
                                    <ul class="records">
                                        {page.mine.into_iter().map(|q| view! {
                                            <li class="records__item">
                                                <strong>{q.question}</strong>
                                                <span class="records__meta"><DualDateText unix_seconds=q.asked_at/></span>
                                                {match q.answer {
                                                    Some(answer) => view! { <p class="records__body">{answer}</p> }.into_any(),
                                                    None => view! { <p class="records__body">{t!(i18n, faq.waiting)}</p> }.into_any(),
                                                }}
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                </section>
                            })}
                            <section class="card" aria-labelledby="ask-title">
                                <h2 id="ask-title">{t!(i18n, faq.ask_title)}</h2>
                                {move || just_asked().then(|| view! { <p class="notice notice--success" role="status">{t!(i18n, faq.asked)}</p> })}
                                <p>{if page.signed_in { t!(i18n, faq.ask_lead_signed_in).into_any() } else { t!(i18n, faq.ask_lead).into_any() }}</p>
                                <ActionForm action=ask attr:class="form" attr:id="form-ask" attr:novalidate=true>
                                    <TextField name="asker_name" label=move || t_string!(i18n, faq.name)
                                        value=typed(&flash, ASK_FORM, "asker_name") autocomplete="name"
                                        error=field_message(problem, form.clone(), "asker_name")/>
                                    <TextField name="mobile" label=move || t_string!(i18n, faq.mobile)
                                        value=typed(&flash, ASK_FORM, "mobile") input_type="tel" inputmode="tel"
                                        autocomplete="tel" dir="ltr" error=field_message(problem, form.clone(), "mobile")/>
                                    <TextField name="email" label=move || t_string!(i18n, faq.email)
                                        value=typed(&flash, ASK_FORM, "email") input_type="email" autocomplete="email"
                                        dir="ltr" error=field_message(problem, form.clone(), "email")/>
                                    <TextAreaField name="question" label=move || t_string!(i18n, faq.question)
                                        value=typed(&flash, ASK_FORM, "question") required=true rows=4
                                        error=field_message(problem, form.clone(), "question")/>
                                    <FormNotice problem form=form.clone()/>
                                    <button class="button button--primary" type="submit">{t!(i18n, faq.send)}</button>
                                </ActionForm>
                            </section>
                        }
                        .into_any()
                    }
                }
            })}
        </Transition>
    }
}
