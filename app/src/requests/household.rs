//! A household kept as the beneficiary's and editable later (issue 15): what
//! the staff case page and the applicant's tracking page share (a member as
//! listed, the fields of one member's form, the problem a refused change shows
//! after a JavaScript answer or a plain post), and the applicant's own card.
//! The applicant corrects their household until the committee has decided;
//! afterwards the form is gone and the server refuses.
#![cfg_attr(feature = "hydrate", allow(clippy::too_many_arguments, reason = "the stub takes the form's fields"))]

use awn_domain::{
    ids::{MemberId, RequestId},
    requests::{FieldProblem, MemberDraft, MemberField, Relation},
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{
    components::{
        date_field::DateField,
        form::{FieldError, TextField},
    },
    error::AppError,
    flash::FormFlash,
    i18n::*,
    requests::labels::{problem_text, relation_text},
};

/// One household member as a page lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberLine {
    pub id: MemberId,
    pub full_name: String,
    pub relation: Relation,
    /// The relation in the page's language.
    pub relation_text: String,
    pub birth_date: String,
    pub national_id: Option<String>,
    pub has_income: bool,
}

#[cfg(feature = "ssr")]
impl MemberLine {
    /// A stored member, the relation named in `locale`'s words.
    pub fn from_record(member: awn_storage::households::MemberRecord, locale: crate::i18n::Locale) -> Self {
        MemberLine {
            id: member.id,
            full_name: member.full_name,
            relation: member.relation,
            relation_text: crate::requests::labels::relation_text(locale, member.relation),
            birth_date: member.birth_date,
            national_id: member.national_id,
            has_income: member.has_income,
        }
    }
}

impl MemberLine {
    /// The member's values as the correction form starts with them.
    pub fn draft(&self) -> MemberDraft {
        MemberDraft {
            full_name: self.full_name.clone(),
            relation: self.relation.code().to_owned(),
            birth_date: self.birth_date.clone(),
            national_id: self.national_id.clone().unwrap_or_default(),
            has_income: if self.has_income { "yes" } else { "no" }.to_owned(),
        }
    }
}

/// Why a change to the household was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum HouseholdRefusal {
    /// The row as typed has problems (see `errors`).
    Fields,
    /// The household already lists as many members as its size given allows.
    Full,
    /// The committee has decided: the applicant may no longer change it.
    Closed,
}

impl HouseholdRefusal {
    const ALL: [HouseholdRefusal; 3] = [HouseholdRefusal::Fields, HouseholdRefusal::Full, HouseholdRefusal::Closed];

    fn code(self) -> &'static str {
        match self {
            HouseholdRefusal::Fields => "household_fields",
            HouseholdRefusal::Full => "household_full",
            HouseholdRefusal::Closed => "household_closed",
        }
    }
}

/// A refused change, as the form it came from shows it: its problems and
/// what was typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HouseholdProblem {
    /// The member's correction form, or (`None`) the form that adds one.
    pub member: Option<MemberId>,
    pub refusal: HouseholdRefusal,
    pub errors: Vec<(MemberField, FieldProblem)>,
    pub typed: MemberDraft,
}

const ACTION: &str = "household";
const MEMBER_KEY: &str = "~member";
const ERROR_PREFIX: &str = "~error:";

impl HouseholdProblem {
    /// The flash of a plain post, for the page `form` ("case", "tracking").
    pub fn to_flash(&self, form: &str, request: RequestId) -> FormFlash {
        let typed = &self.typed;
        let mut values = vec![
            ("action".to_owned(), ACTION.to_owned()),
            ("kind".to_owned(), ACTION.to_owned()),
            (MEMBER_KEY.to_owned(), self.member.map(|id| id.to_string()).unwrap_or_default()),
        ];
        for (field, value) in [
            (MemberField::FullName, &typed.full_name),
            (MemberField::Relation, &typed.relation),
            (MemberField::BirthDate, &typed.birth_date),
            (MemberField::NationalId, &typed.national_id),
            (MemberField::HasIncome, &typed.has_income),
        ] {
            values.push((field.code().to_owned(), value.clone()));
        }
        values.extend(
            self.errors
                .iter()
                .map(|(field, problem)| (format!("{ERROR_PREFIX}{}", field.code()), problem.code().into())),
        );
        FormFlash { form: form.to_owned(), values, problem: self.refusal.code().to_owned(), number: request.get() }
    }

    pub fn from_flash(flash: &FormFlash) -> Option<Self> {
        (flash.value("action") == Some(ACTION)).then_some(())?;
        let refusal = HouseholdRefusal::ALL.into_iter().find(|r| r.code() == flash.problem)?;
        let member = flash.value(MEMBER_KEY).and_then(|id| id.parse().ok());
        let value = |field: MemberField| flash.value(field.code()).unwrap_or_default().to_owned();
        let typed = MemberDraft {
            full_name: value(MemberField::FullName),
            relation: value(MemberField::Relation),
            birth_date: value(MemberField::BirthDate),
            national_id: value(MemberField::NationalId),
            has_income: value(MemberField::HasIncome),
        };
        let errors = flash
            .values
            .iter()
            .filter_map(|(name, code)| {
                let field = MemberField::from_code(name.strip_prefix(ERROR_PREFIX)?)?;
                Some((field, FieldProblem::from_code(code)?))
            })
            .collect();
        Some(HouseholdProblem { member, refusal, errors, typed })
    }
}

/// The change a form posted: `op` "add" adds a member; "remove" removes the
/// member given, "correct" (the default) corrects it. A change to no member
/// names nothing: `NotFound`.
#[cfg(feature = "ssr")]
pub fn posted_edit(
    op: Option<&str>,
    member: Option<MemberId>,
    typed: MemberDraft,
) -> Result<crate::application::household::HouseholdEdit, AppError> {
    use crate::application::household::HouseholdEdit;
    match (op, member) {
        (Some("add"), _) => Ok(HouseholdEdit::Add(typed)),
        (Some("remove"), Some(member)) => Ok(HouseholdEdit::Remove(member)),
        (Some("correct") | None, Some(member)) => Ok(HouseholdEdit::Correct(member, typed)),
        _ => Err(AppError::NotFound),
    }
}

/// The answer to a change: `None` when done, else the problem the form shows
/// (kept in the flash for a plain post, for the page `form`).
#[cfg(feature = "ssr")]
pub fn answer(
    outcome: crate::application::household::EditOutcome,
    member: Option<MemberId>,
    typed: MemberDraft,
    form: &str,
    request: RequestId,
    back: &str,
) -> Option<HouseholdProblem> {
    use crate::application::household::EditOutcome;
    let (refusal, errors) = match outcome {
        EditOutcome::Done => {
            leptos_axum::redirect(back);
            return None;
        }
        EditOutcome::Invalid(errors) => (HouseholdRefusal::Fields, errors),
        EditOutcome::Full => (HouseholdRefusal::Full, Vec::new()),
        EditOutcome::Closed => (HouseholdRefusal::Closed, Vec::new()),
    };
    let problem = HouseholdProblem { member, refusal, errors, typed: typed.bounded() };
    crate::flash::keep_for_next_page(&problem.to_flash(form, request));
    Some(problem)
}

/// The problem of one form: the latest JavaScript answer, else the flash.
pub fn household_problem<A>(
    action: ServerAction<A>,
    flash: Option<HouseholdProblem>,
) -> Signal<Option<HouseholdProblem>>
where
    A: leptos::server_fn::ServerFn<Output = Option<HouseholdProblem>, Error = AppError> + Clone + Send + Sync + 'static,
{
    Signal::derive(move || match action.value().get() {
        Some(Ok(problem)) => problem,
        Some(Err(_)) => None,
        None => flash.clone(),
    })
}

/// The words of a refusal that is not about a field.
pub fn refusal_text(i18n: leptos_i18n::I18nContext<Locale>, refusal: HouseholdRefusal) -> Option<String> {
    match refusal {
        HouseholdRefusal::Fields => None,
        HouseholdRefusal::Full => Some(t_string!(i18n, household.full).to_string()),
        HouseholdRefusal::Closed => Some(t_string!(i18n, household.closed).to_string()),
    }
}

/// The fields of one member's form, with what was typed and its problems when
/// this form's change was refused.
#[component]
pub fn MemberFields(
    /// The member corrected, or `None` for the form that adds one.
    member: Option<MemberId>,
    draft: MemberDraft,
    problem: Signal<Option<HouseholdProblem>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let suffix = member.map_or_else(|| "member-new".to_owned(), |id| format!("member-{id}"));
    let mine = move || problem.get().filter(|p| p.member == member);
    let shown = problem.get_untracked().filter(|p| p.member == member).map(|p| p.typed).unwrap_or(draft);
    let error = move |field: MemberField| {
        Signal::derive(move || {
            mine().and_then(|p| {
                p.errors.iter().find(|(f, _)| *f == field).map(|(_, e)| problem_text(i18n.get_locale(), *e))
            })
        })
    };
    let relation_id = format!("field-relation-{suffix}");
    let income_id = format!("field-has_income-{suffix}");
    let relation_error = error(MemberField::Relation);
    let chosen = shown.relation.clone();
    view! {
        <TextField name="full_name" label=move || t_string!(i18n, household.full_name).to_string()
            value=shown.full_name error=error(MemberField::FullName) id_suffix=suffix.clone()/>
        <div class="field" class:field--invalid=move || relation_error.get().is_some()>
            <label class="field__label" for=relation_id.clone()>{t!(i18n, household.relation)}</label>
            <select class="field__input" id=relation_id.clone() name="relation">
                <option value="">{t!(i18n, household.choose)}</option>
                {Relation::ALL.into_iter().map(|relation| view! {
                    <option value=relation.code() selected=chosen == relation.code()>
                        {move || relation_text(i18n.get_locale(), relation)}
                    </option>
                }).collect_view()}
            </select>
            <FieldError id=format!("{relation_id}-error") error=relation_error/>
        </div>
        <DateField name="birth_date" label=move || t_string!(i18n, household.birth_date).to_string()
            value=shown.birth_date error=error(MemberField::BirthDate) id_suffix=suffix.clone()/>
        <TextField name="national_id" label=move || t_string!(i18n, household.national_id).to_string()
            value=shown.national_id error=error(MemberField::NationalId) inputmode="numeric" dir="ltr" maxlength=20
            id_suffix=suffix.clone()/>
        <div class="choice">
            <input type="checkbox" id=income_id.clone() name="has_income" value="yes" checked=shown.has_income == "yes"/>
            <label for=income_id>{t!(i18n, household.has_income)}</label>
        </div>
        <FieldError id=format!("field-has_income-{suffix}-error") error=error(MemberField::HasIncome)/>
        {move || mine().and_then(|p| refusal_text(i18n, p.refusal)).map(|text| view! {
            <p class="notice notice--error" role="alert">{text}</p>
        })}
    }
}

/// One member's facts, as listed.
#[component]
pub fn MemberFacts(member: MemberLine) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <strong>{member.full_name}</strong> " · " {member.relation_text}
        <dl class="facts">
            <dt>{t!(i18n, household.birth_date)}</dt><dd><bdi dir="ltr">{member.birth_date}</bdi></dd>
            {member.national_id.map(|id| view! {
                <dt>{t!(i18n, wizard.national_id)}</dt><dd><bdi dir="ltr">{id}</bdi></dd>
            })}
            <dt>{t!(i18n, household.has_income)}</dt>
            <dd>{if member.has_income { t_string!(i18n, household.yes) } else { t_string!(i18n, household.no) }}</dd>
        </dl>
    }
}

/// The applicant corrects the household of their own request: adds a member,
/// corrects one, or removes one (`op` "remove"), until the committee decides.
#[server(endpoint = "requests/household")]
#[allow(clippy::too_many_arguments, reason = "a server function takes the form's fields as its arguments")]
pub async fn request_household(
    request: RequestId,
    op: Option<String>,
    member: Option<MemberId>,
    full_name: Option<String>,
    relation: Option<String>,
    birth_date: Option<String>,
    national_id: Option<String>,
    has_income: Option<String>,
) -> Result<Option<HouseholdProblem>, AppError> {
    let account = crate::session::require_beneficiary().await?;
    let context = crate::state::app_context()?;
    let typed = MemberDraft {
        full_name: full_name.unwrap_or_default(),
        relation: relation.unwrap_or_default(),
        birth_date: birth_date.unwrap_or_default(),
        national_id: national_id.unwrap_or_default(),
        has_income: has_income.unwrap_or_default(),
    };
    let edit = posted_edit(op.as_deref(), member, typed.clone())?;
    let outcome = crate::application::household::applicant_edit(&context.database, &account, request, edit).await?;
    Ok(answer(outcome, member, typed, "tracking", request, &format!("/requests/{request}#household")))
}

/// A member's form, drawn by the page that owns the action: the correction of
/// a member (`Some`) or the form that adds one (`None`), with what it starts with.
pub type MemberForm = std::sync::Arc<dyn Fn(Option<MemberId>, MemberDraft) -> AnyView + Send + Sync>;

/// The members as listed; with `form`, each with its correction form (folded
/// away) and, after them, the form that adds one.
#[component]
pub fn HouseholdList(members: Vec<MemberLine>, form: Option<MemberForm>) -> impl IntoView {
    let i18n = use_i18n();
    let each = form.clone();
    view! {
        {members.is_empty().then(|| view! { <p>{t!(i18n, household.none_listed)}</p> })}
        <ul class="household">{members.into_iter().map(|member| {
            let (id, draft) = (member.id, member.draft());
            let form = each.clone();
            view! {
                <li class="household__member" id=format!("member-{id}")>
                    <MemberFacts member/>
                    {form.map(|form| view! {
                        <details class="household__edit">
                            <summary>{t!(i18n, household.correct)}</summary>
                            {form(Some(id), draft)}
                        </details>
                    })}
                </li>
            }
        }).collect_view()}</ul>
        {form.map(|form| view! { <h3>{t!(i18n, household.add)}</h3> {form(None, MemberDraft::default())} })}
    }
}

/// What goes in every member's form besides its fields: the request, the
/// member, and the buttons (save or remove a member; add the new one).
#[component]
pub fn MemberFormParts(request: RequestId, member: Option<MemberId>, children: Children) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <input type="hidden" name="request" value=request.get()/>
        {member.map(|id| view! { <input type="hidden" name="member" value=id.get()/> })}
        {children()}
        {match member {
            Some(_) => view! {
                <button class="button" type="submit" name="op" value="correct">{t!(i18n, household.save)}</button>
                " "
                <button class="button button--secondary" type="submit" name="op" value="remove">
                    {t!(i18n, household.remove)}
                </button>
            }.into_any(),
            None => view! {
                <button class="button" type="submit" name="op" value="add">{t!(i18n, household.add)}</button>
            }.into_any(),
        }}
    }
}

/// The form's id: `form-member-<id>`, or `form-member-new`.
pub fn member_form_id(member: Option<MemberId>) -> String {
    member.map_or_else(|| "form-member-new".to_owned(), |id| format!("form-member-{id}"))
}

/// The household on the applicant's tracking page: listed always; while the
/// committee has not decided, each member with a correction form and a form
/// that adds one.
#[component]
pub fn HouseholdCard(
    request: RequestId,
    members: Vec<MemberLine>,
    editable: bool,
    action: ServerAction<RequestHousehold>,
    flash: Option<FormFlash>,
) -> impl IntoView {
    let i18n = use_i18n();
    let problem = household_problem(action, flash.as_ref().and_then(HouseholdProblem::from_flash));
    let form: Option<MemberForm> = editable.then(|| {
        std::sync::Arc::new(move |member: Option<MemberId>, draft: MemberDraft| {
            view! {
                <ActionForm action attr:class="form" attr:id=member_form_id(member)>
                    <MemberFormParts request member><MemberFields member draft problem/></MemberFormParts>
                </ActionForm>
            }
            .into_any()
        }) as MemberForm
    });
    view! {
        <section class="card" id="household">
            <h2>{t!(i18n, household.members)}</h2>
            {editable.then(|| view! { <p class="field__hint">{t!(i18n, household.edit_hint)}</p> })}
            <HouseholdList members form/>
            // Refused after the committee decided (the page was open before).
            {move || problem.get().filter(|p| p.refusal == HouseholdRefusal::Closed).map(|_| view! {
                <p class="notice notice--error" role="alert">{t!(i18n, household.closed)}</p>
            })}
        </section>
    }
}
