//! The household's members, one row each (issue 15), in the wizard's household
//! step and the staff intake form. Plain rows that work without JavaScript: as
//! many as the household's count calls for (and two spare), and a button that
//! saves the step and comes back with more.

use awn_domain::{
    digits::parse_whole_number,
    requests::{MAX_MEMBER_ROWS, MemberDraft, MemberError, MemberField, Relation},
};
use leptos::prelude::*;

use crate::{
    components::{
        date_field::DateField,
        form::{FieldError as FieldErrorText, TextField},
    },
    i18n::*,
    requests::labels::{problem_text, relation_text},
};

/// How many rows to show: those typed, those the count calls for, two spare.
pub(crate) fn rows_to_show(typed: usize, count: &str) -> usize {
    let others = parse_whole_number(count).ok().and_then(|n| usize::try_from(n).ok()).unwrap_or(0).saturating_sub(1);
    (typed + 2).max(others).min(MAX_MEMBER_ROWS)
}

#[component]
pub(crate) fn MemberRows(
    members: Vec<MemberDraft>,
    count: String,
    errors: Vec<MemberError>,
    /// A submit button that saves and shows the form again (the wizard's).
    #[prop(optional)]
    more_button: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let shown = rows_to_show(members.len(), &count);
    let rows: Vec<(usize, MemberDraft)> =
        (0..shown).map(|i| (i, members.get(i).cloned().unwrap_or_default())).collect();
    let errors = StoredValue::new(errors);
    view! {
        <fieldset class="field household-members" id="household-members">
            <legend class="field__label">{t!(i18n, household.members)}</legend>
            <p class="field__hint">{t!(i18n, household.members_hint)}</p>
            {rows.into_iter().map(|(i, row)| view! { <MemberRow i row errors=errors.get_value()/> }).collect_view()}
            {more_button.then(|| view! {
                <button class="button button--secondary" type="submit" name="go" value="save">
                    {t!(i18n, household.more_rows)}
                </button>
            })}
        </fieldset>
    }
}

#[component]
fn MemberRow(i: usize, row: MemberDraft, errors: Vec<MemberError>) -> impl IntoView {
    let i18n = use_i18n();
    let n = i + 1;
    let error = move |field: MemberField| {
        let problem = errors.iter().find(|e| e.position == i && e.field == field).map(|e| e.problem);
        Signal::derive(move || problem.map(|p| problem_text(i18n.get_locale(), p)))
    };
    let name = move |field: MemberField| format!("members[{i}][{}]", field.code());
    let relation_id = format!("member-{i}-relation");
    let income_id = format!("member-{i}-has_income");
    let relation_error = error(MemberField::Relation);
    let chosen = row.relation.clone();
    view! {
        <div class="household-member" data-row=i>
            <TextField
                name=name(MemberField::FullName)
                label=move || t_string!(i18n, household.member_name, n = n).to_string()
                value=row.full_name
                error=error(MemberField::FullName)
            />
            <div class="field" class:field--invalid=move || relation_error.get().is_some()>
                <label class="field__label" for=relation_id.clone()>
                    {move || t_string!(i18n, household.member_relation, n = n).to_string()}
                </label>
                <select class="field__input" id=relation_id.clone() name=name(MemberField::Relation)>
                    <option value="">{t!(i18n, household.choose)}</option>
                    {Relation::ALL.into_iter().map(|relation| view! {
                        <option value=relation.code() selected=chosen == relation.code()>
                            {move || relation_text(i18n.get_locale(), relation)}
                        </option>
                    }).collect_view()}
                </select>
                <FieldErrorText id=format!("{relation_id}-error") error=relation_error/>
            </div>
            <DateField
                name=name(MemberField::BirthDate)
                label=move || t_string!(i18n, household.member_birth_date, n = n).to_string()
                value=row.birth_date
                error=error(MemberField::BirthDate)
            />
            <TextField
                name=name(MemberField::NationalId)
                label=move || t_string!(i18n, household.member_national_id, n = n).to_string()
                value=row.national_id
                error=error(MemberField::NationalId)
                inputmode="numeric"
                dir="ltr"
                maxlength=20
            />
            <div class="choice">
                <input type="checkbox" id=income_id.clone() name=name(MemberField::HasIncome) value="yes"
                    checked=row.has_income == "yes"/>
                <label for=income_id>{move || t_string!(i18n, household.member_has_income, n = n).to_string()}</label>
            </div>
        </div>
    }
}
