//! The holidays: those entered (with a button that removes one), the form that
//! adds one typed in either calendar, and next year's Umm al-Qura proposals.

use awn_domain::deadlines::{CalendarKind, HolidayKind};
use leptos::prelude::*;

use super::{
    AddHoliday, AddProposedHoliday, HOLIDAY_FORM, HolidayRow, PROPOSAL_FORM, ProposalRow, REMOVE_FORM, RemoveHoliday,
    holiday_kind_text,
};
use crate::{
    components::{
        dates::DualDateText,
        form::{SelectField, TextField},
        table::TableScroll,
    },
    forms::{FormNotice, FormProblem, field_message, latest_problem, typed},
    i18n::*,
};

#[component]
pub(super) fn HolidaysSection(
    holidays: Vec<HolidayRow>,
    remove: ServerAction<RemoveHoliday>,
    problem: Signal<Option<FormProblem>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card" aria-labelledby="holidays-title">
            <h2 id="holidays-title">{t!(i18n, calendar.holidays_title)}</h2>
            <p class="field__hint">{t!(i18n, calendar.weekend)}</p>
            <FormNotice problem form=REMOVE_FORM/>
            {if holidays.is_empty() {
                view! { <p>{t!(i18n, calendar.holidays_empty)}</p> }.into_any()
            } else {
                view! {
                    <TableScroll label=move || t_string!(i18n, calendar.holidays_title).to_string()><table class="report-table" id="holiday-list">
                        <thead><tr>
                            <th scope="col">{t!(i18n, calendar.kind)}</th>
                            <th scope="col">{t!(i18n, calendar.first_day)}</th>
                            <th scope="col">{t!(i18n, calendar.last_day)}</th>
                            <th scope="col">{t!(i18n, calendar.days)}</th>
                            <th scope="col">{t!(i18n, calendar.remove)}</th>
                        </tr></thead>
                        <tbody>
                            {holidays.into_iter().map(|holiday| view! {
                                <tr>
                                    <td>{holiday_kind_text(i18n.get_locale(), holiday.kind)}</td>
                                    <td><DualDateText unix_seconds=holiday.first_day/></td>
                                    <td><DualDateText unix_seconds=holiday.last_day/></td>
                                    <td><bdi>{holiday.days}</bdi></td>
                                    <td>
                                        <ActionForm action=remove attr:class="form form--inline">
                                            <input type="hidden" name="holiday" value=holiday.id.to_string()/>
                                            <button class="button button--link" type="submit">{t!(i18n, calendar.remove)}</button>
                                        </ActionForm>
                                    </td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table></TableScroll>
                }.into_any()
            }}
        </section>
    }
}

/// The form that adds a holiday typed in Hijri (Umm al-Qura) or Gregorian.
#[component]
pub(super) fn AddHolidayForm(add: ServerAction<AddHoliday>, flashed: Option<FormProblem>) -> impl IntoView {
    let i18n = use_i18n();
    let problem = latest_problem(add, flashed.clone());
    let form = HOLIDAY_FORM.to_owned();
    let kinds: Vec<(String, String)> = HolidayKind::ALL
        .into_iter()
        .map(|kind| (kind.code().to_owned(), holiday_kind_text(i18n.get_locale(), kind)))
        .collect();
    let calendars = vec![
        (CalendarKind::Hijri.code().to_owned(), t_string!(i18n, calendar.hijri).to_string()),
        (CalendarKind::Gregorian.code().to_owned(), t_string!(i18n, calendar.gregorian).to_string()),
    ];
    // Arabic users mostly think of holidays in Hijri.
    let default_calendar = if i18n.get_locale() == Locale::ar { CalendarKind::Hijri } else { CalendarKind::Gregorian };
    let chosen_calendar = Some(typed(&flashed, HOLIDAY_FORM, "calendar"))
        .filter(|c| !c.is_empty())
        .unwrap_or_else(|| default_calendar.code().to_owned());
    let days = Some(typed(&flashed, HOLIDAY_FORM, "days")).filter(|d| !d.is_empty()).unwrap_or_else(|| "1".to_owned());
    view! {
        <section class="card" aria-labelledby="add-holiday-title">
            <h2 id="add-holiday-title">{t!(i18n, calendar.add_title)}</h2>
            <ActionForm action=add attr:class="form" attr:id="form-holiday" attr:novalidate=true>
                <SelectField name="kind" id="holiday-kind" label=move || t_string!(i18n, calendar.kind)
                    placeholder=move || t_string!(i18n, calendar.choose)
                    options=kinds selected=typed(&flashed, HOLIDAY_FORM, "kind")
                    error=field_message(problem, form.clone(), "kind")/>
                <SelectField name="calendar" id="holiday-calendar" label=move || t_string!(i18n, calendar.calendar_choice)
                    placeholder=move || t_string!(i18n, calendar.choose)
                    options=calendars selected=chosen_calendar
                    error=field_message(problem, form.clone(), "calendar")/>
                <TextField name="first_day" label=move || t_string!(i18n, calendar.first_day)
                    hint=move || t_string!(i18n, calendar.first_day_hint) dir="ltr" inputmode="numeric"
                    value=typed(&flashed, HOLIDAY_FORM, "first_day") required=true
                    error=field_message(problem, form.clone(), "first_day")/>
                <TextField name="days" label=move || t_string!(i18n, calendar.days)
                    hint=move || t_string!(i18n, calendar.days_hint) dir="ltr" inputmode="numeric"
                    value=days error=field_message(problem, form.clone(), "days")/>
                <FormNotice problem form=form.clone()/>
                <button class="button button--primary" type="submit">{t!(i18n, calendar.add)}</button>
            </ActionForm>
        </section>
    }
}

/// Next year's expected holidays, each with a button that enters it.
#[component]
pub(super) fn ProposalsSection(
    proposals: Vec<ProposalRow>,
    year: i32,
    add: ServerAction<AddProposedHoliday>,
    problem: Signal<Option<FormProblem>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card" aria-labelledby="proposals-title">
            <h2 id="proposals-title">{t!(i18n, calendar.proposals_title)} " " <bdi>{year}</bdi></h2>
            <p class="field__hint">{t!(i18n, calendar.proposals_lead)}</p>
            <FormNotice problem form=PROPOSAL_FORM/>
            {if proposals.is_empty() {
                view! { <p>{t!(i18n, calendar.proposals_empty)}</p> }.into_any()
            } else {
                view! {
                    <ul class="records" id="proposal-list">
                        {proposals.into_iter().map(|proposal| view! {
                            <li class="records__item">
                                <strong>{holiday_kind_text(i18n.get_locale(), proposal.kind)}</strong> " · "
                                <DualDateText unix_seconds=proposal.first_day/>
                                {(proposal.days > 1).then(|| view! { " – " <DualDateText unix_seconds=proposal.last_day/> })}
                                " · " {t!(i18n, calendar.days)} " " <bdi>{proposal.days}</bdi>
                                <ActionForm action=add attr:class="form form--inline">
                                    <input type="hidden" name="kind" value=proposal.kind.code()/>
                                    <input type="hidden" name="first_day" value=proposal.first_day_text.clone()/>
                                    <button class="button" type="submit">{t!(i18n, calendar.add_proposal)}</button>
                                </ActionForm>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}
